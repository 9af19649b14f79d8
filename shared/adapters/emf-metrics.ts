/**
 * Metrics as CloudWatch Embedded Metric Format through Powertools Metrics. Metrics without
 * dimensions are buffered and flushed by the handler shell (`logMetrics`); dimensioned ones are
 * written at once as single metrics so dimensions never leak between them.
 */
import { MetricUnit as PowertoolsUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { MetricName, MetricUnit, MetricsSink } from '../ports/metrics.js';

export class EmfMetrics implements MetricsSink {
  readonly #metrics: Metrics;

  constructor(metrics: Metrics) {
    this.#metrics = metrics;
  }

  add(name: MetricName, unit: MetricUnit, value: number, dimensions?: Record<string, string>): void {
    const powertoolsUnit = unit === 'Count' ? PowertoolsUnit.Count : PowertoolsUnit.Milliseconds;
    if (dimensions && Object.keys(dimensions).length > 0) {
      const single = this.#metrics.singleMetric();
      single.addDimensions(dimensions);
      single.addMetric(name, powertoolsUnit, value);
      return;
    }
    this.#metrics.addMetric(name, powertoolsUnit, value);
  }
}
