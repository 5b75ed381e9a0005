import { createHash } from 'node:crypto'
import {
  InvalidEventCategoryException,
  InvalidLookupAttributesException,
  InvalidMaxResultsException,
  InvalidNextTokenException,
  InvalidTimeRangeException,
} from '../../../../aws-api/cloudtrail/errors.js'
import { operations, service, type OperationTypes } from '../../../../aws-api/cloudtrail/operations.js'
import type { Event, LookupEventsRequest } from '../../../../aws-api/cloudtrail/types.js'
import { ValidationException } from '../../../../lib/aws/errors.js'
import { modelOperation } from '../../../core/model-operation.js'
import type { OperationDef } from '../../../core/operation.js'
import type { LookupRow } from '../../../audit/store.js'
import type { CloudTrailModuleDeps } from '../index.js'

const MAX_RESULTS = 50
const HISTORY_SECONDS = 90 * 86_400

/**
 * LookupEvents (reference §5): the caller's account's records, newest first, within StartTime–EndTime
 * (inclusive; default the last 90 days), filtered by at most one attribute, 1–50 per page (default 50).
 * The NextToken names where the page ended and the parameters it belongs to.
 */
export function lookupEvents(deps: CloudTrailModuleDeps): OperationDef {
  const op = modelOperation<OperationTypes, 'LookupEvents'>(
    { service, operations },
    'LookupEvents',
    { readOnly: true },
    async (input, ctx) => {
      if (input.EventCategory !== undefined) return { Events: [] }
      const attributes = input.LookupAttributes ?? []
      if (attributes.length > 1) throw new InvalidLookupAttributesException(msg.oneAttribute)
      const attribute = attributes[0]
      const nowSeconds = Math.floor(ctx.now / 1000)
      const start = input.StartTime === undefined ? nowSeconds - HISTORY_SECONDS : seconds(input.StartTime)
      const end = input.EndTime === undefined ? nowSeconds : seconds(input.EndTime)
      if (start > end) throw new InvalidTimeRangeException(msg.timeRange)
      const query = queryKey(input)
      const beforeSeq = input.NextToken === undefined ? undefined : readToken(input.NextToken, query)
      const limit = input.MaxResults ?? MAX_RESULTS
      const rows = deps.reader.lookup({
        accountId: ctx.principal.accountId,
        start,
        end,
        ...(attribute !== undefined && {
          attribute: { key: attribute.AttributeKey, value: attribute.AttributeValue },
        }),
        ...(beforeSeq !== undefined && { beforeSeq }),
        limit: limit + 1,
      })
      const page = rows.slice(0, limit)
      const last = page.at(-1)
      return {
        Events: page.map(eventOf),
        ...(rows.length > limit && last !== undefined && { NextToken: writeToken(last.seq, query) }),
      }
    },
  )
  // AWS answers out-of-range lookup attributes and page sizes with the operation's own errors.
  return {
    ...op,
    parse: (raw: unknown) => {
      try {
        return op.parse(raw)
      } catch (error) {
        if (!(error instanceof ValidationException)) throw error
        if (error.message.includes("'lookupAttributes"))
          throw new InvalidLookupAttributesException(error.message)
        if (error.message.includes("'maxResults'")) throw new InvalidMaxResultsException(msg.maxResults)
        if (error.message.includes("'eventCategory'")) throw new InvalidEventCategoryException(error.message)
        throw error
      }
    },
  }
}

const msg = {
  oneAttribute: 'You can only specify one lookup attribute.',
  timeRange: 'Start time must be before end time.',
  maxResults: 'MaxResults must be between 1 and 50.',
  nextToken: 'Invalid NextToken.',
}

function eventOf(row: LookupRow): Event {
  const i = row.index
  return {
    EventId: i.eventId,
    EventName: i.eventName,
    ReadOnly: String(i.readOnly),
    ...(i.accessKeyId !== undefined && { AccessKeyId: i.accessKeyId }),
    EventTime: new Date(i.eventTime * 1000),
    EventSource: i.eventSource,
    ...(i.username !== undefined && { Username: i.username }),
    Resources: i.resources.map((r) => ({ ResourceType: r.type, ResourceName: r.name })),
    CloudTrailEvent: row.text,
  }
}

function seconds(date: Date): number {
  return Math.floor(date.getTime() / 1000)
}

/** The parameters a token is bound to (reused with different ones → InvalidNextTokenException). */
function queryKey(input: LookupEventsRequest): string {
  const { LookupAttributes, StartTime, EndTime } = input
  return createHash('sha256')
    .update(
      JSON.stringify([LookupAttributes ?? [], StartTime?.getTime() ?? null, EndTime?.getTime() ?? null]),
    )
    .digest('base64url')
    .slice(0, 16)
}

function writeToken(seq: number, query: string): string {
  return Buffer.from(`${seq}.${query}`, 'utf8').toString('base64url')
}

function readToken(token: string, query: string): number {
  const [seq, key] = Buffer.from(token, 'base64url').toString('utf8').split('.')
  const n = Number(seq)
  if (key !== query || !Number.isSafeInteger(n) || n < 1) throw new InvalidNextTokenException(msg.nextToken)
  return n
}
