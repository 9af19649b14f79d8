import { EmfMetrics } from '../adapters/emf-metrics.js';
import { powertoolsMetrics } from '../runtime/metrics.js';
import { once } from './environment.js';

export const metrics = once(() => new EmfMetrics(powertoolsMetrics));
