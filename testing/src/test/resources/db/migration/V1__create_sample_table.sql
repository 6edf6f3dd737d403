-- The testing module's own tests: the extension applies whatever db/migration the classpath has
-- (in every other module that is the schema module's, the farm's tables).
CREATE TABLE sample (id bigserial PRIMARY KEY, name text NOT NULL);
