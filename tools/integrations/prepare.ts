// Lays out what each catalog publishes, from integrations/, in one folder per CI:
// - gitlab/: the component project (templates/, README.md, its .gitlab-ci.yml with the release job,
//   LICENSE), for the GitLab mirror;
// - bitrise/: the Step repository (step.yml, step.sh, upload.sh, bitrise.yml, README.md, LICENSE,
//   and the Step's bats tests in test/);
// - circleci/: the packed orb (orb.yml) and its source (src/).
// `node tools/integrations/prepare.ts <folder>`; the Integrations workflow publishes each part.
// `node tools/integrations/prepare.ts --steplib <step.yml> <git URL> <commit>` prints the step.yml
// a StepLib pull request adds (steps/<id>/<version>/step.yml): the Step's, with its source pinned.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { parseDocument } from 'yaml'
import { ROOT } from './generate.ts'
import { packOrbText } from './orb-pack.ts'

/** Each published folder's files: destination → source, relative to the repository. */
export const LAYOUT: Record<string, Record<string, string>> = {
  gitlab: {
    'templates/upload.yml': 'integrations/gitlab/templates/upload.yml',
    'README.md': 'integrations/gitlab/README.md',
    '.gitlab-ci.yml': 'integrations/gitlab/.gitlab-ci.yml',
    LICENSE: 'LICENSE'
  },
  bitrise: {
    'step.yml': 'integrations/bitrise/step.yml',
    'step.sh': 'integrations/bitrise/step.sh',
    'upload.sh': 'integrations/bitrise/upload.sh',
    'bitrise.yml': 'integrations/bitrise/bitrise.yml',
    'README.md': 'integrations/bitrise/README.md',
    'test/step.bats': 'test/integrations/bitrise/step.bats',
    'test/envman-stub.bash': 'test/integrations/bitrise/envman-stub.bash',
    LICENSE: 'LICENSE'
  },
  circleci: {
    src: 'integrations/circleci/src',
    'README.md': 'integrations/circleci/README.md',
    LICENSE: 'LICENSE'
  }
}

/** Writes the three folders under `out`. */
export function prepare(out: string): void {
  for (const [ci, files] of Object.entries(LAYOUT)) {
    for (const [to, from] of Object.entries(files)) {
      const target = path.join(out, ci, to)
      mkdirSync(path.dirname(target), { recursive: true })
      cpSync(path.join(ROOT, from), target, { recursive: true })
    }
  }
  writeFileSync(
    path.join(out, 'circleci/orb.yml'),
    packOrbText(path.join(ROOT, 'integrations/circleci/src'))
  )
}

/** The step.yml a StepLib pull request adds: the Step's, with when and where it was published. */
export function steplibStep(stepYml: string, git: string, commit: string, at = new Date()): string {
  const document = parseDocument(stepYml)
  document.set('published_at', at.toISOString())
  document.set('source', { git, commit })
  return document.toString()
}

if (import.meta.filename === process.argv[1]) {
  const [first, ...rest] = process.argv.slice(2)
  if (first === '--steplib' && rest.length === 3) {
    const [stepYml, git, commit] = rest as [string, string, string]
    process.stdout.write(steplibStep(readFileSync(stepYml, 'utf8'), git, commit))
  } else if (first && !first.startsWith('-')) {
    prepare(path.resolve(first))
    console.log(`Wrote ${Object.keys(LAYOUT).join(', ')} under ${first}`)
  } else {
    console.error(
      'usage: node tools/integrations/prepare.ts <folder>\n' +
        '       node tools/integrations/prepare.ts --steplib <step.yml> <git URL> <commit>'
    )
    process.exit(2)
  }
}
