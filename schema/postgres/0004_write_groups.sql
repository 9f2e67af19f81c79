-- Jifen on PostgreSQL: a commit group's writes in one round trip. Frozen
-- once landed: later changes are new migrations.
--
-- The executor (src/db/postgres-executor.ts) commits the writes that arrive
-- together in one transaction. Sent one by one, each between SAVEPOINT and
-- RELEASE, every write waited for a round trip through the service's busy
-- event loop, and the round trips took longer than the writes themselves.
-- jifen_write_group runs a group's writes in order on the server instead:
--
-- * each write (its statements, parameters written in as literals) runs in a
--   block with an exception handler, which is a subtransaction just as a
--   savepoint is: a refused write is rolled back alone, and reported with
--   what the client would have been told (SQLSTATE, message, detail, table,
--   column, constraint), so the same translation words it;
-- * a write that extends the chain, after an earlier write of the group that
--   extends it too was refused, is skipped: it was built on a head that was
--   never written (the executor builds it again on the real one);
-- * a deadlock, a serialization failure, a lack of resources or a failing
--   server is raised for the whole group, which is then rolled back and run
--   again or answered 503, as before.
--
-- Only refused writes are returned; the others were written.
CREATE FUNCTION jifen_write_group(writes text[], extends_chain boolean[])
RETURNS TABLE (ord int, skipped boolean, code text, message text, detail text,
               table_name text, column_name text, constraint_name text)
LANGUAGE plpgsql AS $$
DECLARE
  chain_broken boolean := false;
BEGIN
  FOR i IN 1 .. coalesce(array_length(writes, 1), 0) LOOP
    ord := i;
    IF chain_broken AND extends_chain[i] THEN
      skipped := true;
      code := NULL; message := NULL; detail := NULL; table_name := NULL; column_name := NULL; constraint_name := NULL;
      RETURN NEXT;
      CONTINUE;
    END IF;
    BEGIN
      EXECUTE writes[i];
    EXCEPTION WHEN OTHERS THEN
      GET STACKED DIAGNOSTICS code = RETURNED_SQLSTATE, message = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL,
        table_name = TABLE_NAME, column_name = COLUMN_NAME, constraint_name = CONSTRAINT_NAME;
      -- The classes the executor fails a whole group for (postgres-errors.ts).
      IF code ~ '^(08|53|58|57P0[1-3]|40001|40P01)' THEN
        RAISE;
      END IF;
      skipped := false;
      RETURN NEXT;
      chain_broken := chain_broken OR extends_chain[i];
    END;
  END LOOP;
END $$;
