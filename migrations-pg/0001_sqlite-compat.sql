-- The few SQLite functions the shared queries use (src/platform/postgres/translate.ts rewrites the
-- rest: placeholders, two-argument min/max, CAST AS INTEGER), with SQLite's meaning.
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
