-- The few SQLite functions the shared queries use (src/platform/postgres/translate.ts rewrites the
-- rest: placeholders, two-argument min/max, CAST AS INTEGER), with SQLite's meaning.
-- json(text): the text as a JSON value (a bound parameter has no type, so the cast needs a function).
CREATE FUNCTION json(value text) RETURNS json
  LANGUAGE sql IMMUTABLE AS $$ SELECT value::json $$;
--> statement-breakpoint
-- json_set(doc, '$.key', json(value)): the document with one top-level key replaced.
CREATE FUNCTION json_set(doc text, path text, value json) RETURNS text
  LANGUAGE sql IMMUTABLE AS $$ SELECT jsonb_set(coalesce(doc, '{}')::jsonb, string_to_array(substr(path, 3), '.'), value::jsonb, true)::text $$;
--> statement-breakpoint
-- json_extract(doc, '$.key') for numbers and booleans (true → 1, as SQLite answers); NULL otherwise.
CREATE FUNCTION json_extract(doc text, path text) RETURNS numeric
  LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE jsonb_typeof(v) WHEN 'number' THEN (v #>> '{}')::numeric WHEN 'boolean' THEN (v::boolean)::int ELSE NULL END
    FROM (SELECT doc::jsonb #> string_to_array(substr(path, 3), '.') AS v) AS x $$;
--> statement-breakpoint
-- strftime('%Y-%m[-%d]', seconds, 'unixepoch') in UTC.
CREATE FUNCTION strftime(format text, seconds numeric, modifier text) RETURNS text
  LANGUAGE sql IMMUTABLE AS $$ SELECT to_char(to_timestamp(seconds) AT TIME ZONE 'UTC', replace(replace(replace(format, '%Y', 'YYYY'), '%m', 'MM'), '%d', 'DD')) $$;
--> statement-breakpoint
-- SQLite has no DEFAULT in VALUES, so drizzle inserts NULL for an AUTOINCREMENT key and SQLite
-- numbers the row; these triggers do the same with the column's sequence.
CREATE FUNCTION key_revocations_number() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.seq IS NULL THEN NEW.seq := nextval(pg_get_serial_sequence('key_revocations', 'seq')); END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER key_revocations_number BEFORE INSERT ON key_revocations FOR EACH ROW EXECUTE FUNCTION key_revocations_number();
--> statement-breakpoint
CREATE FUNCTION cluster_events_number() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.id IS NULL THEN NEW.id := nextval(pg_get_serial_sequence('cluster_events', 'id')); END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER cluster_events_number BEFORE INSERT ON cluster_events FOR EACH ROW EXECUTE FUNCTION cluster_events_number();
