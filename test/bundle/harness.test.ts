// The checks test/support/bundle.ts makes on every run of dist/: each refuses what it should, and
// names it, so that a suite passing through them is known to have been checked.
import { request } from 'undici'
import { describe, expect, it } from 'vitest'
import { emulatorWith, expectNoLeaks } from '../support/bundle.ts'

describe('the checks of every bundle run', () => {
  it('name the API key of a running emulator wherever it stands', async () => {
    const emulator = await emulatorWith()
    expect(() => expectNoLeaks({ log: `key ${emulator.apiKey}` })).toThrow(/the API key in log/)
    expect(() => expectNoLeaks({ log: 'no key here' })).not.toThrow()
  })

  it('let a download URL stand only where the run may print it, and only when allowed', async () => {
    const emulator = await emulatorWith({ keepBytes: true })
    const headers = {
      authorization: `Bearer ${emulator.apiKey}`,
      'content-type': 'application/json'
    }
    const files = `${emulator.apiUrl}/api/files`
    const created = await request(files, {
      method: 'POST',
      headers,
      body: '{"project_id":1,"name":"a.txt","mime_type":"text/plain","size_bytes":5}'
    })
    const file = (
      (await created.body.json()) as { data: { file: { id: number; upload_url: string } } }
    ).data.file
    await (
      await request(file.upload_url, {
        method: 'PUT',
        headers: { 'content-type': 'text/plain' },
        body: 'hello'
      })
    ).body.text()
    const confirmed = await request(`${files}/${file.id}`, {
      method: 'PATCH',
      headers,
      body: '{"status":"uploaded"}'
    })
    await confirmed.body.text()
    const got = await request(`${files}/${file.id}`, { headers })
    const { url } = ((await got.body.json()) as { data: { file: { url: string } } }).data.file
    await (await request(url)).body.text()
    const upload = new URL(file.upload_url).searchParams.get('X-Amz-Signature') ?? ''
    const download = new URL(url).searchParams.get('X-Amz-Signature') ?? ''
    const places = { urlPlaces: ['stdout'] }
    expect(() =>
      expectNoLeaks({ stdout: upload }, { ...places, allow: { downloadUrls: true } })
    ).toThrow(/a put URL signature in stdout/)
    expect(() => expectNoLeaks({ stdout: download }, places)).toThrow(
      /a download URL signature in stdout/
    )
    expect(() =>
      expectNoLeaks({ stdout: download }, { ...places, allow: { downloadUrls: true } })
    ).not.toThrow()
    expect(() =>
      expectNoLeaks({ stderr: download }, { ...places, allow: { downloadUrls: true } })
    ).toThrow(/a download URL signature in stderr/)
  })

  it('name a stack trace where one may not stand, unless the test provokes it', () => {
    const stack = new Error('boom').stack ?? ''
    expect(() => expectNoLeaks({ stderr: stack }, { stackPlaces: ['stderr'] })).toThrow(
      /a stack trace in stderr: at /
    )
    expect(() =>
      expectNoLeaks({ stderr: stack }, { stackPlaces: ['stderr'], allow: { stackTrace: true } })
    ).not.toThrow()
  })
})
