import { TranscribeClient } from '@aws-sdk/client-transcribe';
import { TranscribeTranscriber } from '../adapters/transcribe-transcriber.js';
import { once } from './environment.js';

export const transcriber = once(() => new TranscribeTranscriber(new TranscribeClient({})));
