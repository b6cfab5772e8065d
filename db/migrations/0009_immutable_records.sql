-- Training records are immutable in the database itself, whatever the application does: a
-- submitted exam never changes, recorded study time only grows, and no record is ever deleted
-- (deleting a person anonymises them instead, see app/people/anonymise.server.ts). A hard DELETE
-- of a person fails here too, through the cascades to their records.

CREATE FUNCTION forbid_record_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '培训记录不可删除（%）', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END $$;
--> statement-breakpoint
-- An attempt is open while answers are given and graded once: after that nothing changes.
CREATE FUNCTION forbid_submitted_attempt_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF OLD.status = 'submitted' THEN
		RAISE EXCEPTION '已交卷的考试记录不可修改' USING ERRCODE = 'restrict_violation';
	END IF;
	RETURN NEW;
END $$;
--> statement-breakpoint
-- The paper and the answers of an attempt change only while it is open (grading writes the marks
-- before it marks the attempt submitted, in the same transaction).
CREATE FUNCTION forbid_submitted_paper_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM attempts WHERE id = (CASE WHEN TG_OP = 'DELETE' THEN OLD.attempt_id ELSE NEW.attempt_id END) AND status = 'submitted') THEN
		RAISE EXCEPTION '已交卷的考试记录不可修改（%）', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
	END IF;
	RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
--> statement-breakpoint
-- 学时 only grows: time is added by heartbeats, a lesson once reached or completed stays so.
CREATE FUNCTION forbid_study_time_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.person_id <> OLD.person_id OR NEW.lesson_id <> OLD.lesson_id
		OR NEW.studied_seconds < OLD.studied_seconds
		OR (OLD.reached_end AND NOT NEW.reached_end)
		OR (OLD.completed_at IS NOT NULL AND NEW.completed_at IS DISTINCT FROM OLD.completed_at) THEN
		RAISE EXCEPTION '已记录的学时不可减少或改写' USING ERRCODE = 'restrict_violation';
	END IF;
	RETURN NEW;
END $$;
--> statement-breakpoint
-- A certificate may be revoked once and its holder's snapshot anonymised; what it certifies never changes.
CREATE FUNCTION forbid_certificate_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF (NEW.serial, NEW.person_id, NEW.attempt_id, NEW.template_id, NEW.title, NEW.job_type_names, NEW.org_name, NEW.exam_title, NEW.score, NEW.max_score, NEW.issued_at, NEW.expires_on)
		IS DISTINCT FROM (OLD.serial, OLD.person_id, OLD.attempt_id, OLD.template_id, OLD.title, OLD.job_type_names, OLD.org_name, OLD.exam_title, OLD.score, OLD.max_score, OLD.issued_at, OLD.expires_on)
		OR (OLD.revoked_at IS NOT NULL AND (NEW.revoked_at, NEW.revoked_reason) IS DISTINCT FROM (OLD.revoked_at, OLD.revoked_reason)) THEN
		RAISE EXCEPTION '证书记录不可修改' USING ERRCODE = 'restrict_violation';
	END IF;
	RETURN NEW;
END $$;
--> statement-breakpoint
-- Records written once and never changed (线下培训 and its attendance, 切屏 events).
CREATE FUNCTION forbid_record_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '培训记录不可修改或删除（%）', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END $$;
--> statement-breakpoint
CREATE TRIGGER attempts_immutable_once_submitted BEFORE UPDATE ON attempts FOR EACH ROW EXECUTE FUNCTION forbid_submitted_attempt_update();
--> statement-breakpoint
CREATE TRIGGER attempts_no_delete BEFORE DELETE ON attempts FOR EACH ROW EXECUTE FUNCTION forbid_record_delete();
--> statement-breakpoint
CREATE TRIGGER attempt_questions_immutable_once_submitted BEFORE INSERT OR UPDATE OR DELETE ON attempt_questions FOR EACH ROW EXECUTE FUNCTION forbid_submitted_paper_change();
--> statement-breakpoint
CREATE TRIGGER attempt_answers_immutable_once_submitted BEFORE INSERT OR UPDATE OR DELETE ON attempt_answers FOR EACH ROW EXECUTE FUNCTION forbid_submitted_paper_change();
--> statement-breakpoint
CREATE TRIGGER attempt_events_append_only BEFORE UPDATE OR DELETE ON attempt_events FOR EACH ROW EXECUTE FUNCTION forbid_record_change();
--> statement-breakpoint
CREATE TRIGGER lesson_progress_only_grows BEFORE UPDATE ON lesson_progress FOR EACH ROW EXECUTE FUNCTION forbid_study_time_rewrite();
--> statement-breakpoint
CREATE TRIGGER lesson_progress_no_delete BEFORE DELETE ON lesson_progress FOR EACH ROW EXECUTE FUNCTION forbid_record_delete();
--> statement-breakpoint
CREATE TRIGGER certificates_immutable BEFORE UPDATE ON certificates FOR EACH ROW EXECUTE FUNCTION forbid_certificate_rewrite();
--> statement-breakpoint
CREATE TRIGGER certificates_no_delete BEFORE DELETE ON certificates FOR EACH ROW EXECUTE FUNCTION forbid_record_delete();
--> statement-breakpoint
CREATE TRIGGER offline_trainings_immutable BEFORE UPDATE OR DELETE ON offline_trainings FOR EACH ROW EXECUTE FUNCTION forbid_record_change();
--> statement-breakpoint
CREATE TRIGGER offline_training_attendees_immutable BEFORE UPDATE OR DELETE ON offline_training_attendees FOR EACH ROW EXECUTE FUNCTION forbid_record_change();
--> statement-breakpoint
CREATE TRIGGER violations_no_delete BEFORE DELETE ON violations FOR EACH ROW EXECUTE FUNCTION forbid_record_delete();
--> statement-breakpoint
CREATE TRIGGER retraining_orders_no_delete BEFORE DELETE ON retraining_orders FOR EACH ROW EXECUTE FUNCTION forbid_record_delete();
--> statement-breakpoint
CREATE TRIGGER operation_certificates_no_delete BEFORE DELETE ON operation_certificates FOR EACH ROW EXECUTE FUNCTION forbid_record_delete();
