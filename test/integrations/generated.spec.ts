// What tools/integrations/generate.ts writes is what the repository holds: the core in each CI's
// files, and package.json's version wherever one is pinned; and the vendored schemas are the
// published ones, byte for byte.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  CORE,
  CORE_COPIES,
  expected,
  GITLAB_TEMPLATE,
  stale,
  withCore,
  withVersion
} from '../../tools/integrations/generate.ts'
import { ROOT, TOOLS } from './support/ci.ts'

const text = (file: string): string => readFileSync(path.join(ROOT, file), 'utf8')

describe('the generated files', () => {
  it('are what the generator writes for the version of package.json', () => {
    expect(stale(), 'run: node tools/integrations/generate.ts').toEqual([])
  })

  it('ship the core byte for byte, and GitLab embeds it', () => {
    for (const copy of CORE_COPIES) expect(text(copy), copy).toBe(text(CORE))
    expect(text(GITLAB_TEMPLATE)).toContain(
      text(CORE)
        .trim()
        .split('\n')
        .map((line) => (line ? `      ${line}` : ''))
        .join('\n')
    )
  })

  it('would follow package.json to another version, everywhere a version is pinned', () => {
    const moved = expected('7.8.9')
    const pinned = [...moved]
      .filter(([, content]) => content.includes('7.8.9'))
      .map(([file]) => file)
    expect(pinned).toEqual(
      expect.arrayContaining([
        GITLAB_TEMPLATE,
        'integrations/bitrise/step.yml',
        'integrations/circleci/src/commands/upload.yml',
        'integrations/circleci/src/jobs/upload.yml',
        'integrations/circleci/src/examples/upload-job.yml'
      ])
    )
    expect(moved.get(GITLAB_TEMPLATE)).toContain("default: '7.8.9' # written by")
    expect(moved.get('integrations/bitrise/step.yml')).toContain('- version: 7.8.9 # written by')
  })

  it('rewrites marked lines and full versions of the package, orb, component and step only', () => {
    const mark = '# written by tools/integrations/generate.ts'
    expect(withVersion(`  default: 1.0.0 ${mark}\n  other: 1.0.0\n`, '2.3.4')).toBe(
      `  default: 2.3.4 ${mark}\n  other: 1.0.0\n`
    )
    expect(
      withVersion(
        'npx @empiricalrun/upload-files@1.0.0 a; orb empiricalrun/upload-files@1.0.0;\n' +
          'gitlab.com/empiricalrun/upload-files/upload@1.0.0 empiricalrun-upload-files@1.0.0-rc.1\n' +
          '@empiricalrun/upload-files@1 other/upload-files@1.0.0',
        '2.3.4'
      )
    ).toBe(
      'npx @empiricalrun/upload-files@2.3.4 a; orb empiricalrun/upload-files@2.3.4;\n' +
        'gitlab.com/empiricalrun/upload-files/upload@2.3.4 empiricalrun-upload-files@2.3.4\n' +
        '@empiricalrun/upload-files@1 other/upload-files@1.0.0'
    )
  })

  it('embed the core between its begin and end lines, at their indentation', () => {
    const template =
      'a:\n  - |\n    (\n    # begin: integrations/shared/upload.sh\n    old\n    # end: integrations/shared/upload.sh\n    )\n'
    expect(withCore(template, '#!/bin/sh\n\necho hi\n')).toBe(
      'a:\n  - |\n    (\n    # begin: integrations/shared/upload.sh\n    #!/bin/sh\n\n    echo hi\n    # end: integrations/shared/upload.sh\n    )\n'
    )
    expect(() => withCore('a: 1\n', 'x')).toThrow(`${GITLAB_TEMPLATE} lacks the lines`)
  })

  it('hold no here-document (the orb packer would escape it) and nothing GitLab reads as an input', () => {
    expect(text(CORE)).not.toContain('<<')
    expect(text(CORE)).not.toContain('$[[')
  })
})

describe('the vendored schemas', () => {
  const sources = readFileSync(path.join(TOOLS, 'schemas/README.md'), 'utf8')
  const rows = [...sources.matchAll(/^\|\s*`([\w.-]+\.json)`\s*\|.*\|\s*`([0-9a-f]{64})`\s*\|$/gm)]

  it('are listed with their sources and sha256', () => {
    expect(rows.map((row) => row[1]).sort()).toEqual([
      'bitrise-step.schema.json',
      'bitrise.schema.json',
      'circleci-config.schema.json',
      'gitlab-ci.schema.json'
    ])
  })

  it.each(rows.map((row) => [row[1]!, row[2]!]))('%s is the published file', (file, sha256) => {
    const bytes = readFileSync(path.join(TOOLS, 'schemas', file))
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(sha256)
  })
})
