import type { Db } from '../db/types.js';

/** An event by id, if there is one. */
export function findEvent(db: Db, id: string) {
  return db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The ids of an event's claims, in the order they were recorded. */
export async function claimIdsOfEvent(db: Db, eventId: string): Promise<string[]> {
  const rows = await db.selectFrom('claims').select('id').where('event_id', '=', eventId).orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => r.id);
}
