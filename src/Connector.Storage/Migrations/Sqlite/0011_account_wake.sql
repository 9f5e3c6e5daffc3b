-- When an account's billing book next needs loading (the performance issue: a run costs what is due, not history).
-- Written by every save of a whole book: bills_on is the earliest target date a run would bill anything of the account
-- (NULL: nothing is left to bill), changes_on the earliest day its receivables' figures change by time alone (an
-- installment falls due; NULL: none open), settings a fingerprint of the billing settings both were computed under,
-- facts_on the day the account's write-back facts were last all true on (a save projects only what changed since).
-- Every write of the account's billing inputs (accounts, orders, lines, contract terms, consumption schedules, usage,
-- payments received, holds) raises generation and clears settings in its own transaction, so the account loads again;
-- a save writes its dates only when generation is still the one it loaded, so an input stored meanwhile is never missed.
CREATE TABLE account_wake (
    account_id  TEXT    NOT NULL PRIMARY KEY,
    generation  INTEGER NOT NULL,
    bills_on    TEXT    NULL,
    changes_on  TEXT    NULL,
    settings    TEXT    NULL,
    facts_on    TEXT    NULL
);
