-- The performance issue's "keep what is closed closed": each save of a whole book keeps, per account, settled_before,
-- the first day from which its billing entries may still matter to a run. Every piece of every recurring or one-time
-- line of the account that starts before it was billed, and is charged what its schedule says (nothing left to
-- correct); NULL: unknown. It holds while settings is the fingerprint it was written under (every write of the
-- account's billing inputs clears settings, see 0011), and a run's load then reads only the entries whose whole period
-- ends on or after it (usage lines' entries are always read whole). The index serves exactly that read.
ALTER TABLE account_wake ADD COLUMN settled_before TEXT COLLATE "C" NULL;
CREATE INDEX ix_billing_entry_line_whole ON billing_entry (line_id, whole_end);
DROP INDEX ix_billing_entry_line;
