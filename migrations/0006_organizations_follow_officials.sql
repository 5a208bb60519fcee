-- 0006_organizations_follow_officials.sql: an organization's official_count
-- is counted from officials.organization_id when it is read, so no write
-- to the organization's row marks the change, and updated_since missed
-- it.  Whenever an official joins or leaves an organization (its
-- organization set, changed or cleared, or the official deleted, as a
-- merge does) the organizations it left and joined get a new updated_at,
-- in the same transaction as the change.

CREATE TRIGGER officials_org_ins AFTER INSERT ON officials
WHEN NEW.organization_id IS NOT NULL BEGIN
    UPDATE organizations SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    WHERE id = NEW.organization_id;
END;
CREATE TRIGGER officials_org_upd AFTER UPDATE OF organization_id ON officials
WHEN OLD.organization_id IS NOT NEW.organization_id BEGIN
    UPDATE organizations SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    WHERE id IN (OLD.organization_id, NEW.organization_id);
END;
CREATE TRIGGER officials_org_del AFTER DELETE ON officials
WHEN OLD.organization_id IS NOT NULL BEGIN
    UPDATE organizations SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    WHERE id = OLD.organization_id;
END;
