// Learning from the office's decisions: a training-set export (Node worker, export queue) and a fine-tuning job
// (the Python trainer, train queue) that waits for the set it trains on.
import { randomBytes } from 'node:crypto';
import type { Job } from 'bullmq';
import type { LabelFilter } from '../db/training-labels.js';
import { JOB_OPTIONS } from './job-options.js';
import { JobName, QueueName, type JobPayloads, type Queues } from './queues.js';

/** The job the Python trainer takes from the `train` queue (models/trainer/tuban_trainer/job.py reads it). */
export const TRAIN_JOB = 'train';
export interface TrainPayload {
  /** the training set's folder relative to DATA_DIR */
  datasetDir: string;
  /** fine-tuning steps (batches of 8 crops) */
  steps: number;
  requestedBy: number;
}
export interface TrainResult {
  version: string;
  parentVersion: string;
  metrics: Record<string, Record<string, number | string>>;
}

/** A fresh job id: every request is new work (the decisions have changed since the last one). */
const freshId = (kind: string) => `${kind}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

export async function enqueueTrainingSetExport(queues: Queues, filter: LabelFilter): Promise<{ jobId: string; out: string }> {
  const jobId = freshId('training-set');
  const out = `training-sets/${jobId}`;
  const payload: JobPayloads[typeof JobName.TrainingSetExport] = { out, ...filter };
  await queues.byName[QueueName.Export].add(JobName.TrainingSetExport, payload, { jobId, ...JOB_OPTIONS.trainingSet });
  return { jobId, out };
}

/** A fine-tuning job whose training set is exported first (a child job); the trainer starts when the set is done. */
export async function enqueueTraining(queues: Queues, filter: LabelFilter, options: { steps: number; requestedBy: number }): Promise<{ jobId: string; datasetDir: string }> {
  const jobId = freshId('train');
  const datasetDir = `training-sets/${jobId}`;
  const data: TrainPayload = { datasetDir, steps: options.steps, requestedBy: options.requestedBy };
  const child: JobPayloads[typeof JobName.TrainingSetExport] = { out: datasetDir, ...filter };
  await queues.flows.add({
    name: TRAIN_JOB,
    queueName: QueueName.Train,
    data,
    opts: { jobId, ...JOB_OPTIONS.train },
    children: [{ name: JobName.TrainingSetExport, queueName: QueueName.Export, data: child, opts: { jobId: `${jobId}-set`, failParentOnFailure: true, ...JOB_OPTIONS.trainingSet } }],
  });
  return { jobId, datasetDir };
}

export interface JobStatus {
  id: string;
  state: string;
  progress: number;
  attemptsMade: number;
  result: unknown;
  error: string | null;
}

/** Where a job of a queue stands; undefined when there is no such job (or it was removed). */
export async function jobStatus(queues: Queues, queue: QueueName, id: string, name: string): Promise<JobStatus | undefined> {
  const job: Job | undefined = await queues.byName[queue].getJob(id);
  if (!job || job.name !== name) return undefined;
  return {
    id,
    state: await job.getState(),
    progress: typeof job.progress === 'number' ? job.progress : 0,
    attemptsMade: job.attemptsMade,
    result: job.returnvalue ?? null,
    error: job.failedReason || null,
  };
}
