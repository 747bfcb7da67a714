/**
 * One CloudWatch metric as an Embedded Metric Format entry: a JSON line on stdout, which Lambda
 * hands to CloudWatch Logs and CloudWatch turns into a metric (no API call). What Powertools
 * Metrics wrote for a single count, without its 14 KiB and the instance it built at import
 * (issue 26: report functions over 350 KiB, the monthly job's cold import): one dimension,
 * `service`, and the unit `Count`.
 *
 * Written with `process.stdout.write` rather than `console.log`, as Powertools did with its own
 * Console: the Lambda runtime's console adds a prefix (or wraps the line in JSON with the
 * runtime's log format), which would make the line no EMF entry.
 *
 * @example
 * writeCount('CareLoop', 'ReportEmailed', 1);
 * // {"_aws":{"Timestamp":…,"CloudWatchMetrics":[{"Namespace":"CareLoop","Dimensions":[["service"]],
 * //   "Metrics":[{"Name":"ReportEmailed","Unit":"Count"}]}]},"service":"careloop","ReportEmailed":1}
 */
import { SERVICE_NAME } from './logger.js';

export function writeCount(namespace: string, name: string, value: number): void {
  const entry = {
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [
        { Namespace: namespace, Dimensions: [['service']], Metrics: [{ Name: name, Unit: 'Count' }] },
      ],
    },
    service: SERVICE_NAME,
    [name]: value,
  };
  process.stdout.write(`${JSON.stringify(entry)}\n`);
}
