-- Written by hand: Prisma would rebuild the table (copying every membership) for what SQLite can
-- do in place; the column ends up in the schema's order all the same.
ALTER TABLE "Membership" ADD COLUMN "notify" TEXT NOT NULL DEFAULT 'mentions';
