-- The default lifecycle: no phases of its own, so every environment, in order, is a phase.
-- Projects created without naming a lifecycle follow it.
INSERT INTO lifecycles (id, name, description, is_default, phases, created_at, updated_at)
VALUES ('Lifecycles-default', 'Default', 'Every environment, in order.', TRUE, NULL,
        CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);
