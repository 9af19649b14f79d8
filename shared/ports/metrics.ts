/** The metrics port: CloudWatch EMF through Powertools Metrics in AWS; a JSON-lines log locally. */
export type MetricName =
  | 'UploadsReceived'
  | 'UploadsPublished'
  | 'UploadsRejected'
  | 'UploadsFailed'
  | 'UploadToPublishedLatency'
  | 'ContentDeliveryLatency'
  | 'TranscodeDuration'
  | 'DatabaseConnectionErrors'
  | 'StuckUploadsFound'
  | 'StuckUploadsRepaired'
  | 'LessonsAtRisk'
  | 'MissedClasses'
  | 'ReadinessAlertsSent'
  | 'AutoCaptionsPublished'
  | 'AutoCaptionsFailed'
  | 'VideosWithoutCaptions'
  | 'VideosWithReviewedCaptions'
  | 'VideosWithAutomaticCaptions';

export type MetricUnit = 'Count' | 'Milliseconds';

export interface MetricsSink {
  add(name: MetricName, unit: MetricUnit, value: number, dimensions?: Record<string, string>): void;
}
