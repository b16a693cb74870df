-- Identity: doctors (OneID), their WeChat identities, staff, tokens, consents, verification,
-- lifecycle history, merges and the audit log. Portable subset of MySQL 8 / MariaDB 10.11 / TiDB:
-- no triggers, no procedures, JSON kept as TEXT and parsed by the application.

CREATE TABLE hcps (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  name VARCHAR(40) NULL,
  hospital VARCHAR(100) NULL,
  hospital_level VARCHAR(16) NULL,
  department VARCHAR(32) NULL,
  title VARCHAR(16) NULL,
  province VARCHAR(16) NULL,
  city VARCHAR(32) NULL,
  phone VARCHAR(20) NULL,
  phone_verified_at DATETIME(3) NULL,
  lifecycle_stage VARCHAR(16) NOT NULL,
  lifecycle_since DATETIME(3) NOT NULL,
  verification_status VARCHAR(16) NOT NULL DEFAULT 'none',
  merged_into BIGINT UNSIGNED NULL,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  PRIMARY KEY (id),
  KEY idx_hcps_phone (phone),
  KEY idx_hcps_department_title (department, title),
  KEY idx_hcps_verification (verification_status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE staff (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  username VARCHAR(32) NOT NULL,
  display_name VARCHAR(40) NOT NULL,
  role VARCHAR(16) NOT NULL,
  password_hash VARCHAR(255) NOT NULL,
  active TINYINT(1) NOT NULL DEFAULT 1,
  failed_attempts INT NOT NULL DEFAULT 0,
  locked_until DATETIME(3) NULL,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_staff_username (username)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per (app, openid). A row points at a doctor, or (for reps bound by an admin) at a staff
-- account. session_key is deliberately not stored: nothing we do needs it.
CREATE TABLE wechat_identities (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  appid VARCHAR(32) NOT NULL,
  openid VARCHAR(64) NOT NULL,
  unionid VARCHAR(64) NULL,
  hcp_id BIGINT UNSIGNED NULL,
  staff_id BIGINT UNSIGNED NULL,
  created_at DATETIME(3) NOT NULL,
  last_login_at DATETIME(3) NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_wechat_identity (appid, openid),
  KEY idx_wechat_unionid (unionid),
  KEY idx_wechat_hcp (hcp_id),
  KEY idx_wechat_staff (staff_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Refresh tokens are random and stored as SHA-256 hashes. A family is one sign-in; rotating
-- marks the old token used; presenting a used token revokes the whole family (reuse detection).
CREATE TABLE refresh_tokens (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  family_id CHAR(32) NOT NULL,
  token_hash CHAR(64) NOT NULL,
  subject_type VARCHAR(8) NOT NULL,
  subject_id BIGINT UNSIGNED NOT NULL,
  role VARCHAR(16) NOT NULL,
  created_at DATETIME(3) NOT NULL,
  expires_at DATETIME(3) NOT NULL,
  used_at DATETIME(3) NULL,
  revoked_at DATETIME(3) NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_refresh_hash (token_hash),
  KEY idx_refresh_family (family_id),
  KEY idx_refresh_subject (subject_type, subject_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE hcp_consents (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  hcp_id BIGINT UNSIGNED NOT NULL,
  policy_version VARCHAR(32) NOT NULL,
  sensitive_consent TINYINT(1) NOT NULL,
  accepted_at DATETIME(3) NOT NULL,
  PRIMARY KEY (id),
  KEY idx_consents_hcp (hcp_id, accepted_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE verification_requests (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  hcp_id BIGINT UNSIGNED NOT NULL,
  license_no VARCHAR(32) NOT NULL,
  status VARCHAR(16) NOT NULL,
  comment VARCHAR(500) NULL,
  reviewer_id BIGINT UNSIGNED NULL,
  created_at DATETIME(3) NOT NULL,
  reviewed_at DATETIME(3) NULL,
  PRIMARY KEY (id),
  KEY idx_verification_status (status, created_at),
  KEY idx_verification_hcp (hcp_id, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE lifecycle_transitions (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  hcp_id BIGINT UNSIGNED NOT NULL,
  from_stage VARCHAR(16) NULL,
  to_stage VARCHAR(16) NOT NULL,
  cause VARCHAR(64) NOT NULL,
  at DATETIME(3) NOT NULL,
  PRIMARY KEY (id),
  KEY idx_lifecycle_hcp (hcp_id, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A OneID merge: `merged_id` was folded into `survivor_id`. `moved` (JSON text) lists what moved
-- and the survivor's previous values, so an admin can undo it exactly.
CREATE TABLE hcp_merges (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  survivor_id BIGINT UNSIGNED NOT NULL,
  merged_id BIGINT UNSIGNED NOT NULL,
  reason VARCHAR(32) NOT NULL,
  matched_value VARCHAR(64) NOT NULL,
  moved TEXT NOT NULL,
  actor VARCHAR(64) NOT NULL,
  created_at DATETIME(3) NOT NULL,
  undone_at DATETIME(3) NULL,
  undone_by VARCHAR(64) NULL,
  PRIMARY KEY (id),
  KEY idx_merges_survivor (survivor_id),
  KEY idx_merges_merged (merged_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE audit_log (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  actor_type VARCHAR(8) NOT NULL,
  actor_id BIGINT UNSIGNED NULL,
  actor_role VARCHAR(16) NOT NULL,
  action VARCHAR(64) NOT NULL,
  target_type VARCHAR(32) NOT NULL,
  target_id VARCHAR(64) NOT NULL,
  detail TEXT NULL,
  at DATETIME(3) NOT NULL,
  PRIMARY KEY (id),
  KEY idx_audit_target (target_type, target_id, at),
  KEY idx_audit_at (at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
