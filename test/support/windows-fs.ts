// A Windows filesystem laid over a folder: `C:\x` is `<base>/C/x`, and `\\host\share\x` is
// `<base>/UNC/host/share/x`. test/core/files/glob-windows.test.ts gives it to both engines it compares,
// @actions/glob in a child process and ours in the test's own, so that both see the same drives.
import fs from 'node:fs'
import path from 'node:path'

/** The part of `fs.promises` that the glob engines use, on Windows paths. */
export function windowsPromises(base: string) {
  const toPosix = (p: string): string => {
    const drive = /^([A-Za-z]):\\(.*)$/.exec(p)
    if (drive)
      return path.join(base, (drive[1] ?? '').toUpperCase(), ...(drive[2] ?? '').split('\\'))
    const unc = /^\\\\(.*)$/.exec(p)
    return unc ? path.join(base, 'UNC', ...(unc[1] ?? '').split('\\')) : p
  }
  const toWindows = (p: string): string => {
    const [top, ...rest] = path.relative(base, p).split('/')
    return (top === 'UNC' ? '\\\\' : `${top}:\\`) + rest.join('\\')
  }
  const { lstat, stat, readdir, realpath } = fs.promises
  return {
    lstat: (p: string) => lstat(toPosix(p)),
    stat: (p: string) => stat(toPosix(p)),
    readdir: (p: string) => readdir(toPosix(p)),
    realpath: async (p: string) => toWindows(await realpath(toPosix(p)))
  }
}
