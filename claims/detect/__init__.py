"""Detection, the pure part: the comparator (compare, numeric, dynamics, units, intervals, moments), the rules of
which claims could conflict (rules), the keys of names (names, near_names) and settings (base, config). No
Django: claims.detection reads the database and writes through claims.services."""
