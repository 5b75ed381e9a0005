import { initial } from './001-initial.js'
import { iamSts } from './002-iam-sts.js'
import { iam } from './003-iam.js'
import { kms } from './004-kms.js'
import { ssm } from './005-ssm.js'
import { functions } from './006-functions.js'
import { rotation } from './007-rotation.js'
import { audit } from './008-audit.js'
import { events } from './009-events.js'
import { auditMoved } from './010-audit-moved.js'
import { outboxHolds } from './011-outbox-holds.js'
import { deliveryHeads } from './012-delivery-heads.js'
import { outboxRetention } from './013-outbox-retention.js'

/** Ordered, append-only. A deployed migration is never edited; a change is a new entry. */
export const migrations: readonly { readonly name: string; readonly sql: string }[] = [
  { name: '001-initial', sql: initial },
  { name: '002-iam-sts', sql: iamSts },
  { name: '003-iam', sql: iam },
  { name: '004-kms', sql: kms },
  { name: '005-ssm', sql: ssm },
  { name: '006-functions', sql: functions },
  { name: '007-rotation', sql: rotation },
  { name: '008-audit', sql: audit },
  { name: '009-events', sql: events },
  { name: '010-audit-moved', sql: auditMoved },
  { name: '011-outbox-holds', sql: outboxHolds },
  { name: '012-delivery-heads', sql: deliveryHeads },
  { name: '013-outbox-retention', sql: outboxRetention },
]
