import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { modelsDir } from './paths.js'
import { stripModel, VENDORED_MODELS, vendorText } from './vendor-models.js'

describe('vendored models', () => {
  it('keep structure and drop prose', () => {
    const model = {
      version: '2.0',
      documentation: '<p>service</p>',
      metadata: { apiVersion: '2020-01-01', protocol: 'json' },
      operations: {
        Op: {
          name: 'Op',
          documentation: 'op',
          documentationUrl: 'https://example.com',
          input: { shape: 'In', documentation: 'ref' },
          output: { shape: 'Out', resultWrapper: 'OpResult' },
          errors: [{ shape: 'Err', documentation: 'err' }],
        },
      },
      shapes: {
        In: {
          type: 'structure',
          required: ['documentation'],
          members: { documentation: { shape: 'S', documentation: 'member', idempotencyToken: true } },
          documentation: 'shape',
        },
        S: { type: 'string', sensitive: true, pattern: '^a$', min: 1, max: 2 },
        L: {
          type: 'list',
          member: { shape: 'S', locationName: 'member', documentation: 'x' },
          flattened: true,
        },
        Err: { type: 'structure', members: {}, exception: true, error: { code: 'E', httpStatusCode: 404 } },
      },
    }
    expect(stripModel(model)).toEqual({
      version: '2.0',
      metadata: { apiVersion: '2020-01-01', protocol: 'json' },
      operations: {
        Op: {
          name: 'Op',
          input: { shape: 'In' },
          output: { shape: 'Out', resultWrapper: 'OpResult' },
          errors: [{ shape: 'Err' }],
        },
      },
      shapes: {
        In: {
          type: 'structure',
          required: ['documentation'],
          // A member that happens to be called `documentation` is structure, not prose.
          members: { documentation: { shape: 'S', idempotencyToken: true } },
        },
        S: { type: 'string', sensitive: true, pattern: '^a$', min: 1, max: 2 },
        L: { type: 'list', member: { shape: 'S', locationName: 'member' }, flattened: true },
        Err: { type: 'structure', members: {}, exception: true, error: { code: 'E', httpStatusCode: 404 } },
      },
    })
  })

  it('are committed stripped, deterministic and listed in SOURCES.md', async () => {
    const sources = await readFile(path.join(modelsDir, 'SOURCES.md'), 'utf8')
    for (const model of VENDORED_MODELS) {
      const text = await readFile(path.join(modelsDir, model, 'service-2.json'), 'utf8')
      expect(text).not.toMatch(/"documentation(Url)?":/)
      // Vendoring the vendored file changes nothing (the script is idempotent).
      expect(vendorText(text, model)).toBe(text)
      const digest = createHash('sha256').update(text).digest('hex')
      expect(sources).toContain(`\`${model}/service-2.json\``)
      expect(sources).toContain(digest)
    }
  })
})
