-- Task codes and the board's search (shared/task-code.ts, shared/task-search.ts). The columns come
-- in nullable, are filled for the rows already there, then become NOT NULL. The application writes
-- them for every new row; the functions below serve this backfill only and are dropped at the end.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
ALTER TABLE "communes" ADD COLUMN "task_code_prefix" text;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "code" text;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "search_text" text;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "priority_rank" smallint GENERATED ALWAYS AS (case priority when 'urgent' then 0 when 'high' then 1 when 'normal' then 2 else 3 end) STORED NOT NULL;--> statement-breakpoint
-- Folding as foldForSearch does, for the accented Latin letters (JavaScript's NFD does it for all).
CREATE FUNCTION entraide_0012_fold(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT lower(translate(t, 'ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĐĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĦĨĩĪīĬĭĮįİĲĴĵĶķĹĺĻļĽľĿŁŃńŅņŇňŊŌōŎŏŐőŒŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŦŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽž', 'aaaaaaæceeeeiiiiðnoooooøuuuuyþaaaaaaceeeeiiiinooooouuuuyyaaaaaaccccccccddđeeeeeeeeeegggggggghhħiiiiiiiiiĳjjkkllllllŀłnnnnnnŋooooooœrrrrrrssssssssttttŧuuuuuuuuuuuuwwyyyzzzzzz'))
$$;--> statement-breakpoint
-- The prefix rule of communes/commune-prefix.ts: the first three letters of the name; if taken, the
-- first letter and two later ones in order; then the first letter and any two; then any three.
CREATE FUNCTION entraide_0012_prefix(name text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  letters text := regexp_replace(upper(entraide_0012_fold(name)), '[^A-Z]', '', 'g');
  abc text := 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  candidate text;
  i int; j int; k int;
BEGIN
  IF length(letters) < 3 THEN letters := rpad(letters, 3, 'X'); END IF;
  candidate := substr(letters, 1, 3);
  IF NOT EXISTS (SELECT 1 FROM communes WHERE replace(task_code_prefix, 'L', 'I') = replace(candidate, 'L', 'I')) THEN RETURN candidate; END IF;
  FOR j IN 2..length(letters) LOOP
    FOR k IN j + 1..length(letters) LOOP
      candidate := substr(letters, 1, 1) || substr(letters, j, 1) || substr(letters, k, 1);
      IF NOT EXISTS (SELECT 1 FROM communes WHERE replace(task_code_prefix, 'L', 'I') = replace(candidate, 'L', 'I')) THEN RETURN candidate; END IF;
    END LOOP;
  END LOOP;
  FOR i IN 0..26 LOOP
    FOR j IN 1..26 LOOP
      FOR k IN 1..26 LOOP
        candidate := CASE WHEN i = 0 THEN substr(letters, 1, 1) ELSE substr(abc, i, 1) END || substr(abc, j, 1) || substr(abc, k, 1);
        IF NOT EXISTS (SELECT 1 FROM communes WHERE replace(task_code_prefix, 'L', 'I') = replace(candidate, 'L', 'I')) THEN RETURN candidate; END IF;
      END LOOP;
    END LOOP;
  END LOOP;
  RAISE EXCEPTION 'no task code prefix left for %', name;
END
$$;--> statement-breakpoint
-- The check of shared/task-code.ts: base-36 values with O read as 0 and I, L as 1, weights 2^(8-i) mod 37.
CREATE FUNCTION entraide_0012_code(prefix text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  alphabet text := '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  weights int[] := ARRAY[17, 27, 32, 16, 8, 4, 2];
  payload text;
  chars text;
  c text;
  v int;
  total int;
  check_value int;
  check_char text;
BEGIN
  LOOP
    payload := '';
    FOR i IN 1..4 LOOP
      payload := payload || substr(alphabet, 1 + floor(random() * 32)::int, 1);
    END LOOP;
    chars := prefix || payload;
    total := 0;
    FOR i IN 1..7 LOOP
      c := translate(substr(chars, i, 1), 'OIL', '011');
      v := strpos('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', c) - 1;
      total := total + weights[i] * v;
    END LOOP;
    check_value := (37 - total % 37) % 37;
    IF check_value < 36 THEN
      check_char := substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', check_value + 1, 1);
      IF strpos(alphabet, check_char) > 0
        AND NOT EXISTS (SELECT 1 FROM tasks WHERE replace(code, 'L', 'I') = replace(prefix || '-' || payload || check_char, 'L', 'I'))
      THEN
        RETURN prefix || '-' || payload || check_char;
      END IF;
    END IF;
  END LOOP;
END
$$;--> statement-breakpoint
CREATE UNIQUE INDEX "communes_task_code_prefix_key" ON "communes" USING btree (replace("task_code_prefix", 'L', 'I'));--> statement-breakpoint
CREATE UNIQUE INDEX "tasks_code_key" ON "tasks" USING btree (replace("code", 'L', 'I'));--> statement-breakpoint
DO $$
DECLARE c record;
BEGIN
  FOR c IN SELECT id, name FROM communes ORDER BY created_at, id LOOP
    UPDATE communes SET task_code_prefix = entraide_0012_prefix(c.name) WHERE id = c.id;
  END LOOP;
END
$$;--> statement-breakpoint
DO $$
DECLARE t record;
BEGIN
  FOR t IN SELECT tasks.id, communes.task_code_prefix AS prefix FROM tasks JOIN communes ON communes.id = tasks.requesting_commune_id ORDER BY tasks.created_at, tasks.id LOOP
    UPDATE tasks SET code = entraide_0012_code(t.prefix) WHERE id = t.id;
  END LOOP;
END
$$;--> statement-breakpoint
UPDATE tasks SET search_text = entraide_0012_fold(concat_ws(E'\n', tasks.code, tasks.title, tasks.details, task_types.label_fr, task_types.label_en))
  FROM task_types WHERE task_types.key = tasks.type;--> statement-breakpoint
DROP FUNCTION entraide_0012_code(text);--> statement-breakpoint
DROP FUNCTION entraide_0012_prefix(text);--> statement-breakpoint
DROP FUNCTION entraide_0012_fold(text);--> statement-breakpoint
ALTER TABLE "communes" ALTER COLUMN "task_code_prefix" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "tasks" ALTER COLUMN "code" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "tasks" ALTER COLUMN "search_text" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "tasks_board_due_idx" ON "tasks" USING btree ("region_id","status","due_at","id");--> statement-breakpoint
CREATE INDEX "tasks_board_priority_idx" ON "tasks" USING btree ("region_id","status","priority_rank","due_at","id");--> statement-breakpoint
CREATE INDEX "tasks_board_created_idx" ON "tasks" USING btree ("region_id","status","created_at","id");--> statement-breakpoint
CREATE INDEX "tasks_search_idx" ON "tasks" USING gin ("search_text" gin_trgm_ops) WITH (fastupdate=false);--> statement-breakpoint
ALTER TABLE "communes" ADD CONSTRAINT "communes_task_code_prefix_letters" CHECK ("communes"."task_code_prefix" ~ '^[A-Z]{3}$');
