import { requestTagConditions } from '../authorization.js'
import { keyOperation } from '../define.js'
import type { KmsDeps } from '../deps.js'
import { assertNotPendingDeletion } from '../locate.js'
import { decodeMarker, page } from '../markers.js'
import { checkedTags, mergeTags, removeTags } from '../tags.js'

/** ListResourceTags: any key state; Limit 1-50, default 50 [M]. */
export const listResourceTags = (d: KmsDeps) =>
  keyOperation(d, 'ListResourceTags', { readOnly: true }, async (input, { key }) => {
    const limit = Math.min(input.Limit ?? 50, 50)
    const after = decodeMarker(`tags/${key.keyId}`, input.Marker)
    const start = after === undefined ? 0 : key.tags.findIndex((tag) => tag.TagKey === after) + 1
    const { items, ...more } = page(`tags/${key.keyId}`, key.tags.slice(start), limit, (tag) => tag.TagKey)
    return { Tags: items, ...more }
  })

/** TagResource: adds or overwrites (TagException for reserved, duplicate or too many keys); not while pending deletion. */
export const tagResource = (d: KmsDeps) =>
  keyOperation(
    d,
    'TagResource',
    { readOnly: false, facts: (input) => ({ conditions: requestTagConditions(input.Tags) }) },
    async (input, { key }) => {
      const added = checkedTags(input.Tags)
      await d.admin.update(key, (stored) => {
        assertNotPendingDeletion(stored)
        return { tags: mergeTags(stored.tags, added) }
      })
      return {}
    },
  )

/** UntagResource: keys that are not there are ignored; not while pending deletion. */
export const untagResource = (d: KmsDeps) =>
  keyOperation(
    d,
    'UntagResource',
    { readOnly: false, facts: (input) => ({ conditions: { 'aws:tagkeys': input.TagKeys } }) },
    async (input, { key }) => {
      await d.admin.update(key, (stored) => {
        assertNotPendingDeletion(stored)
        return { tags: removeTags(stored.tags, input.TagKeys) }
      })
      return {}
    },
  )
