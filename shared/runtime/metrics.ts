/** The one Powertools Metrics instance of a Lambda container (namespace Lectern). */
import { Metrics } from '@aws-lambda-powertools/metrics';

export const powertoolsMetrics = new Metrics({ namespace: 'Lectern', serviceName: 'lectern' });
