/** The orchestrator port: start one execution of publish-content per upload version. */
export interface StartResult {
  /** False when an execution with this name already exists: the upload is already handled. */
  started: boolean;
  executionArn: string;
}

export interface Orchestrator {
  startExecution(name: string, input: unknown): Promise<StartResult>;
}
