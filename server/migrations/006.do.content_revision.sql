-- A counter of writes to served content, for the in-memory catalogue each BFF instance keeps
-- (domains/content/servingCatalogue.ts). Every write to content_versions, content_topics or
-- content_audience bumps it in the same transaction (content/repo.ts), so an instance that reads
-- an unchanged revision knows its catalogue is current without reading the catalogue again.
-- The row lock serialises content writes, which are rare (staff authoring), and orders them by
-- commit, which a timestamp or an auto-increment id would not.
CREATE TABLE content_revision (
  id TINYINT UNSIGNED NOT NULL,
  revision BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO content_revision (id, revision) VALUES (1, 0);
