// Prints the hex sha256 of what a URL serves: how a test's "next step" reads back an uploaded file
// through the download URL it was handed (no curl on a bare machine).
import { createHash } from 'node:crypto'

const response = await fetch(process.argv[2] ?? '')
if (!response.ok) throw new Error(`GET answered ${response.status}`)
console.log(
  createHash('sha256')
    .update(Buffer.from(await response.arrayBuffer()))
    .digest('hex')
)
