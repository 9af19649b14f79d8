/**
 * Every migration, in order, compiled into the bundle (no folder scanning at run time, so the
 * Lambda bundles and the CLI carry the same list).
 */
import type { Migration, MigrationProvider } from 'kysely/migration';
import * as initial from './0001-initial.js';
import * as transcodeJobs from './0002-transcode-jobs.js';
import * as courseMetadata from './0003-course-metadata.js';
import * as classSchedules from './0004-class-schedules.js';
import * as transcodeJobRuns from './0005-transcode-job-runs.js';
import * as transcriptionJobs from './0006-transcription-jobs.js';

export const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-transcode-jobs': transcodeJobs,
  '0003-course-metadata': courseMetadata,
  '0004-class-schedules': classSchedules,
  '0005-transcode-job-runs': transcodeJobRuns,
  '0006-transcription-jobs': transcriptionJobs,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
