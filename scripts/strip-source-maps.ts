// ncc keeps the `//# sourceMappingURL=` comments of bundled packages (minimatch's), but ships no
// maps: a bundler or test runner that loads the library then warns about each missing file.
import { readFileSync, writeFileSync } from 'node:fs'

for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, 'utf8')
  writeFileSync(file, text.replace(/^\/\/# sourceMappingURL=.*$\n?/gm, ''))
}
