// Case 10: case 1 with 400 files rather than 150 (same size, latency and concurrency), on the
// same two targets, against the same pipelined floor: how the action keeps up as files grow.
import { SMALL_400, type BenchCase } from '../fixtures.ts'
import { smallFilesCase } from './small-files.ts'

export const smallFiles400: BenchCase = smallFilesCase(10, SMALL_400)
