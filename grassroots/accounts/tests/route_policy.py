"""Who may reach each route: the table test_policy_matrix.py holds every route of the URL
configuration to.

Each row says what each role gets for the records of the users' own district (world.py), in this
order of roles:

    admin  organizer  coordinator  canvasser  member  outsider  anonymous

``200`` the page; ``login``: sent to sign in (the site's or the admin's login page);
``redirect``: sent elsewhere (a form that did its work, or a step that comes first); a number:
that status; ``*``: any answer but a crash (the admin site's own pages, for the one user it
lets in).

``scoped(...)`` marks a route that shows records of one district: it is asked again with the
foreign district's records, where the organizer, the coordinator and the canvasser must be
refused (REFUSED_ABROAD), the outsider (an organizer of that district) gets what the organizer gets
at home, and the others what they get at home. ``shared(...)`` is a route whose answer does not
depend on the district (lists filtered by scope, shared records such as scripts, the API's
collections).

A page row is the answer to GET; ``post=`` gives the answer to an empty POST for the routes
that take one. When ``post`` is not given, an empty POST is still sent by every role the GET
refuses, and must be refused the same way, writing nothing. An API row is the answer to the
operation's own method (create: POST, update: PUT, delete: DELETE, helpers: POST), sent with a
small body that names the district's person.
"""

from __future__ import annotations

from dataclasses import dataclass

from grassroots.accounts.tests.world import ROLES

# Refusals: a refused request writes nothing (but the audit log and housekeeping, probe.py).
# 409 is the API saying that a person with the contacts sent lives outside the user's areas.
REFUSED = frozenset({"login", "401", "403", "404", "405", "409"})
# What the own district's roles may get in the foreign district: any refusal but the login page.
REFUSED_ABROAD = frozenset({"403", "404", "405", "409"})


@dataclass(frozen=True)
class Policy:
    answer: str
    post: str | None = None
    scoped: bool = False

    def row(self, method: str) -> dict[str, str]:
        text = self.post if method == "POST" and self.post is not None else self.answer
        tokens = text.split()
        assert len(tokens) == len(ROLES), f"{text!r}: one answer for each of {', '.join(ROLES)}"
        return dict(zip(ROLES, tokens, strict=True))


def shared(answer: str, post: str | None = None) -> Policy:
    return Policy(answer, post)


def scoped(answer: str, post: str | None = None) -> Policy:
    return Policy(answer, post, scoped=True)


#               admin  organizer  coordinator  canvasser  member  outsider  anonymous
PUBLIC =        "200   200        200          200        200     200       200"  # fmt: skip
SIGNED_IN =     "200   200        200          200        200     200       login"  # fmt: skip
EDITORS =       "200   200        200          403        403     200       login"  # fmt: skip
ORGANIZERS =    "200   200        403          403        403     200       login"  # fmt: skip
POST_ONLY =     "405   405        405          405        405     405       login"  # fmt: skip
IN_SCOPE =      "200   200        200          200        404     404       login"  # fmt: skip
EDIT_IN_SCOPE = "200   200        200          403        404     404       login"  # fmt: skip
ADMIN_SITE =    "*     login      login        login      login   login     login"  # fmt: skip
API_SIGNED_IN = "200   200        200          200        200     200       401"  # fmt: skip
API_IN_SCOPE =  "200   200        200          200        404     404       401"  # fmt: skip
API_EDIT =      "200   200        200          403        403     200       401"  # fmt: skip

# Lists (people, voters, committees, events, ...) answer everyone signed in and hold only what the
# user's scope does: the matrix reads each answer for the names the role may not see.
POLICY: dict[str, Policy] = {
    # home
    "home": shared(SIGNED_IN),
    # accounts
    "login": shared("redirect redirect redirect redirect redirect redirect 200"),
    "logout": shared("405 405 405 405 405 405 405", post="login login login login login login login"),
    "two_factor_setup": shared(SIGNED_IN, post="200 200 400 400 400 200 login"),
    "two_factor_verify": shared(
        "200 200 redirect redirect redirect 200 login", post="400 400 redirect redirect redirect 400 login"
    ),
    # New backup codes: for a user with an authenticator app who has given a code (the others are
    # sent to set one up).
    "two_factor_backup_codes": shared(POST_ONLY, post="200 200 redirect redirect redirect 200 login"),
    "password_reset": shared(PUBLIC),
    "password_reset_done": shared(PUBLIC, post="405 405 405 405 405 405 405"),
    "password_reset_confirm": shared(PUBLIC),
    "password_reset_complete": shared(PUBLIC, post="405 405 405 405 405 405 405"),
    "audit_log": shared(SIGNED_IN),
    # places
    "area_list": shared(SIGNED_IN),
    "roots_map": shared(SIGNED_IN),
    "area_detail": shared(SIGNED_IN),
    "area_map": shared(SIGNED_IN),
    # people
    "people_list": shared(SIGNED_IN),
    "person_create": shared(EDITORS),
    "people_tag": shared(POST_ONLY, post="redirect redirect redirect 403 403 redirect login"),
    "person_detail": scoped(IN_SCOPE),
    "person_edit": scoped("200 200 200 403 403 404 login"),
    "person_merge": scoped(
        "200 200 200 403 403 404 login", post="redirect redirect redirect 403 403 404 login"
    ),
    # Everything held about a person, and erasing them: administrators and organizers.
    "person_export": scoped("200 200 403 403 403 404 login"),
    "person_erase": scoped("200 200 403 403 403 404 login"),
    # voters
    "voter_list": shared(SIGNED_IN),
    "voter_import_list": shared(ORGANIZERS, post="400 400 403 403 403 400 login"),
    "voter_import_detail": shared(ORGANIZERS),
    # A file's rows name anyone, anywhere: who imported it and administrators (may_read_import_rows).
    "voter_import_errors": shared("200 403 403 403 403 403 login"),
    "voter_import_mapping": shared(ORGANIZERS),
    "voter_review_list": shared(EDITORS),
    "voter_review_decide": scoped(POST_ONLY, post="redirect redirect redirect 403 403 404 login"),
    "voter_detail": scoped(IN_SCOPE),
    # results
    "results_home": shared(SIGNED_IN),
    "contest_detail": shared(SIGNED_IN),
    "contest_map": shared(SIGNED_IN),
    "contest_csv": shared(SIGNED_IN),
    "targets": shared(EDITORS),
    "targets_map": shared(EDITORS),
    "targets_csv": shared(EDITORS),
    "swing": shared(SIGNED_IN),
    "swing_map": shared(SIGNED_IN),
    # Without two contests named in the query string there is nothing to compare: 404.
    "swing_csv": shared("404 404 404 404 404 404 login"),
    # canvass
    "universe_detail": scoped(IN_SCOPE),
    "canvass_sync": shared(POST_ONLY, post="400 400 400 400 400 400 login"),
    "universe_turfs": scoped("200 200 200 403 403 404 login"),
    "universe_turfs_map": scoped("200 200 200 403 403 404 login"),
    "walk_list": scoped(IN_SCOPE),
    "canvass_my_turfs": shared(SIGNED_IN),
    "canvass_shift_sign_up": scoped(POST_ONLY, post="redirect redirect redirect redirect 404 404 login"),
    # The canvass app opens only a turf given to the user (the world gives the canvasser its turf).
    "canvass_turf_app": scoped("404 404 404 200 404 404 login"),
    "canvass_turf_app_data": scoped("404 404 404 200 404 404 login", post=POST_ONLY),
    "script_list": shared(EDITORS),
    "script_detail": shared(EDITORS),
    "question_edit": shared(EDITORS),
    "question_change": shared(POST_ONLY, post="redirect redirect redirect 403 403 redirect login"),
    "canvass_service_worker": shared(PUBLIC, post="405 405 405 405 405 405 405"),
    # committees
    "committee_list": shared(SIGNED_IN),
    "committee_new": shared(EDITORS),
    "committee_mine": shared(SIGNED_IN),
    "committee_coverage": shared(SIGNED_IN),
    "committee_coverage_map": shared(SIGNED_IN),
    "committee_start": shared(SIGNED_IN, post=EDITORS),
    "committee_uncovered": shared(SIGNED_IN),
    "committee_meeting_detail": scoped(IN_SCOPE),
    "committee_meeting_attendance": scoped(POST_ONLY, post="redirect redirect redirect 403 404 404 login"),
    "committee_meeting_agenda": scoped(POST_ONLY, post="redirect redirect redirect 403 404 404 login"),
    "committee_meeting_minutes": scoped(POST_ONLY, post="redirect redirect redirect 403 404 404 login"),
    "committee_meeting_decision": scoped(POST_ONLY, post="redirect redirect redirect 403 404 404 login"),
    "committee_meeting_cancel": scoped(POST_ONLY, post="redirect redirect redirect 403 404 404 login"),
    "committee_membership_end": scoped(POST_ONLY, post="redirect redirect redirect 403 404 404 login"),
    "committee_decision_done": scoped(POST_ONLY, post="redirect redirect redirect 403 404 404 login"),
    "committee_detail": scoped(IN_SCOPE),
    "committee_members": scoped(EDIT_IN_SCOPE),
    "committee_schedule": scoped(EDIT_IN_SCOPE),
    "committee_delete": scoped(POST_ONLY, post="redirect redirect redirect 403 404 404 login"),
    "committee_restore": scoped(POST_ONLY, post="redirect redirect redirect 403 404 404 login"),
    "committee_calendar": scoped(IN_SCOPE),
    # struggles
    "struggle_list": shared(SIGNED_IN),
    "struggle_create": shared(EDITORS),
    "organization_list": shared(SIGNED_IN),
    "organization_create": shared(EDITORS),
    "organization_detail": scoped(IN_SCOPE),
    "organization_edit": scoped("200 200 200 403 403 404 login"),
    "organization_places": scoped("200 200 200 403 403 404 login"),
    "organization_site": scoped(POST_ONLY, post="200 200 200 403 403 404 login"),
    "organization_workplace": scoped(POST_ONLY, post="200 200 200 403 403 404 login"),
    "organization_delete": scoped(POST_ONLY, post="redirect redirect redirect 403 403 404 login"),
    "grievance_detail": scoped(IN_SCOPE),
    "grievance_status": scoped(POST_ONLY, post="200 200 200 403 403 404 login"),
    "grievance_evidence": scoped(POST_ONLY, post="200 200 200 403 403 404 login"),
    "struggle_detail": scoped(IN_SCOPE),
    "struggle_people": scoped("200 200 200 403 403 404 login"),
    "struggle_escalation": scoped(POST_ONLY, post="200 200 200 403 403 404 login"),
    "struggle_grievance": scoped(POST_ONLY, post="200 200 200 403 403 404 login"),
    "struggle_demand": scoped(POST_ONLY, post="200 200 200 403 403 404 login"),
    "struggle_status": scoped(POST_ONLY, post="redirect redirect redirect 403 403 404 login"),
    "struggle_delete": scoped(POST_ONLY, post="redirect redirect redirect 403 403 404 login"),
    # decisions
    "committee_proposals": scoped(IN_SCOPE),
    "struggle_proposals": scoped(IN_SCOPE),
    "proposal_amendment_decide": scoped(POST_ONLY, post="redirect redirect redirect redirect 404 404 login"),
    "proposal_objection_answer": scoped(POST_ONLY, post="redirect redirect redirect redirect 404 404 login"),
    "proposal_objection_withdraw": scoped(
        POST_ONLY, post="redirect redirect redirect redirect 404 404 login"
    ),
    "proposal_detail": scoped(IN_SCOPE),
    "proposal_vote": scoped(POST_ONLY, post="redirect redirect redirect redirect 404 404 login"),
    "proposal_open": scoped(POST_ONLY, post="redirect redirect redirect 403 404 404 login"),
    "proposal_close": scoped(POST_ONLY, post="redirect redirect redirect 403 404 404 login"),
    "proposal_option": scoped(POST_ONLY, post="redirect redirect redirect redirect 404 404 login"),
    "proposal_amend": scoped(POST_ONLY, post="redirect redirect redirect redirect 404 404 login"),
    "proposal_comment": scoped(POST_ONLY, post="redirect redirect redirect redirect 404 404 login"),
    # ladder
    "ladder_funnel": shared(SIGNED_IN),
    # Recomputes the stages of the user's own scope: anyone signed in may ask.
    "ladder_update": shared(POST_ONLY, post="redirect redirect redirect redirect redirect redirect login"),
    "ladder_queue": shared(SIGNED_IN),
    "ladder_item_done": scoped(POST_ONLY, post="redirect redirect redirect 403 404 404 login"),
    "ladder_item_assign": scoped(POST_ONLY, post="redirect redirect redirect 403 404 404 login"),
    "ladder_rules": shared(SIGNED_IN),
    "ladder_stage_new": shared(ORGANIZERS),
    "ladder_stage_edit": shared(ORGANIZERS),
    "ladder_stage_rule_new": shared(ORGANIZERS),
    "ladder_rule_edit": shared(ORGANIZERS),
    "ladder_rule_delete": shared(POST_ONLY, post="redirect redirect 403 403 403 redirect login"),
    "education_list": shared(SIGNED_IN),
    "education_curriculum_new": shared(EDITORS),
    "education_session_group_new": shared(EDITORS),
    "education_group": scoped(IN_SCOPE),
    "education_group_progress": scoped(POST_ONLY, post="redirect redirect redirect 403 404 404 login"),
    "education_curriculum": shared(SIGNED_IN, post=EDITORS),
    # events
    "event_list": shared(SIGNED_IN),
    "event_create": shared(EDITORS),
    "event_form_list": shared(SIGNED_IN),
    "event_form_create": shared(EDITORS),
    "event_form_detail": scoped(IN_SCOPE, post=EDIT_IN_SCOPE),
    "event_form_csv": scoped(EDIT_IN_SCOPE),
    "event_project_sheet": scoped(IN_SCOPE, post=EDIT_IN_SCOPE),
    "event_rsvp_cancel": scoped(POST_ONLY, post="redirect redirect redirect 403 404 404 login"),
    "event_detail": scoped(IN_SCOPE),
    "event_edit": scoped(EDIT_IN_SCOPE),
    "event_cancel": scoped(POST_ONLY, post="redirect redirect redirect 403 404 404 login"),
    "event_shift_add": scoped(POST_ONLY, post="redirect redirect redirect 403 404 404 login"),
    "event_hosts": scoped(EDIT_IN_SCOPE),
    "event_agenda_add": scoped(POST_ONLY, post="redirect redirect redirect 403 404 404 login"),
    "event_kiosk": scoped(EDIT_IN_SCOPE),
    "event_kiosk_sign_in": scoped(POST_ONLY, post=EDIT_IN_SCOPE),
    "event_rsvps_csv": scoped(EDIT_IN_SCOPE),
    "event_attendance_csv": scoped(EDIT_IN_SCOPE),
    # coalitions: shared by the whole organization, run by its editors; canvassers and members get 404
    "coalition_list": shared(SIGNED_IN),
    "coalition_partner_create": shared(POST_ONLY, post="redirect redirect 404 404 404 redirect login"),
    "coalition_partner": shared("200 200 200 404 404 200 login"),
    "coalition_partner_contact": shared(POST_ONLY, post="404 404 404 404 404 404 login"),
    "coalition_partner_people": shared("200 200 200 404 404 200 login"),
    "coalition_partner_relationship": shared(POST_ONLY, post="404 404 404 404 404 404 login"),
    "coalition_partner_cosponsor": shared(
        POST_ONLY, post="redirect redirect redirect 404 404 redirect login"
    ),
    "coalition_endorsement_detail": shared("200 200 200 404 404 200 login"),
    "coalition_endorsement_step": shared(POST_ONLY, post="redirect redirect 404 404 404 redirect login"),
    "coalition_member_end": shared(POST_ONLY, post="redirect redirect 404 404 404 redirect login"),
    "coalition_delegate_end": scoped(POST_ONLY, post="redirect redirect 404 404 404 404 login"),
    "coalition_detail": shared("200 200 200 404 404 200 login"),
    "coalition_detail_member": shared(POST_ONLY, post="404 404 404 404 404 404 login"),
    "coalition_detail_delegate": shared(POST_ONLY, post="404 404 404 404 404 404 login"),
    "coalition_detail_endorsement": shared(POST_ONLY, post="redirect redirect 404 404 404 redirect login"),
    # commonground
    "commonground_list": shared(SIGNED_IN),
    "commonground_new": shared(SIGNED_IN),
    "commonground_statement_vote": scoped(
        POST_ONLY, post="redirect redirect redirect redirect 404 404 login"
    ),
    "commonground_statement_hide": scoped(
        POST_ONLY, post="redirect redirect redirect redirect 404 404 login"
    ),
    "commonground_round": scoped(IN_SCOPE),
    "commonground_round_groups": scoped(IN_SCOPE),
    "commonground_round_write": scoped(POST_ONLY, post="redirect redirect redirect redirect 404 404 login"),
    "commonground_round_close": scoped(POST_ONLY, post="redirect redirect redirect 404 404 404 login"),
    "commonground_round_proposal": scoped(POST_ONLY, post="redirect redirect redirect 404 404 404 login"),
    # public pages
    "endorsement_public": shared(PUBLIC),
    "public_events_feed": shared(PUBLIC),
    "public_rsvp_cancel": shared(PUBLIC),
    "public_event": shared(PUBLIC),
    "public_event_ics": shared(PUBLIC),
    "public_form": shared(PUBLIC),
    "public_form_embed": shared(PUBLIC),
    # api
    "/api/v2": shared("redirect redirect redirect redirect redirect redirect redirect"),
    "osdi:openapi-json": shared(PUBLIC),
    "osdi:openapi-view": shared(PUBLIC),
    "osdi:osdi_aep": shared(API_SIGNED_IN),
    "osdi:osdi_list_people": shared(API_SIGNED_IN),
    # 409: a person with the contacts sent lives outside the token's areas (nothing is written).
    "osdi:osdi_create_person": scoped("200 200 200 403 403 409 401"),
    "osdi:osdi_person_signup_helper": scoped("200 200 200 403 403 409 401"),
    "osdi:osdi_get_person": scoped(API_IN_SCOPE),
    "osdi:osdi_update_person": scoped("200 200 200 403 403 404 401"),
    "osdi:osdi_delete_person": scoped("405 405 405 405 404 404 401"),
    "osdi:osdi_list_person_taggings": scoped(API_IN_SCOPE),
    "osdi:osdi_list_taggings": shared(API_SIGNED_IN),
    "osdi:osdi_create_tagging": scoped("200 200 200 403 403 404 401"),
    "osdi:osdi_get_tagging": scoped(API_IN_SCOPE),
    "osdi:osdi_delete_tagging": scoped("200 200 200 403 403 404 401"),
    "osdi:osdi_list_events": shared(API_SIGNED_IN),
    "osdi:osdi_create_event": shared("400 400 400 403 403 400 401"),
    "osdi:osdi_get_event": scoped(API_IN_SCOPE),
    "osdi:osdi_update_event": scoped("200 200 200 403 403 404 401"),
    "osdi:osdi_delete_event": scoped("200 200 200 403 403 404 401"),
    "osdi:osdi_list_attendances": scoped(API_IN_SCOPE),
    "osdi:osdi_create_attendance": scoped("200 200 200 403 403 404 401"),
    "osdi:osdi_list_person_attendances": scoped(API_IN_SCOPE),
    "osdi:osdi_get_attendance": scoped(API_IN_SCOPE),
    "osdi:osdi_update_attendance": scoped("200 200 200 403 403 404 401"),
    "osdi:osdi_record_attendance_helper": scoped("200 200 200 403 404 404 401"),
    "osdi:osdi_list_scripts": shared(API_SIGNED_IN),
    "osdi:osdi_get_script": shared(API_SIGNED_IN),
    "osdi:osdi_create_script": shared(API_EDIT),
    # 409: the world's script is the standard one, which keeps its name.
    "osdi:osdi_update_script": shared("409 409 409 403 403 409 401"),
    "osdi:osdi_delete_script": shared("405 405 405 405 405 405 401"),
    "osdi:osdi_list_script_questions": shared(API_SIGNED_IN),
    "osdi:osdi_get_script_question": shared(API_SIGNED_IN),
    "osdi:osdi_list_questions": shared(API_SIGNED_IN),
    "osdi:osdi_get_question": shared(API_SIGNED_IN),
    "osdi:osdi_create_question": shared(API_EDIT),
    # 409: the probe renames the world's question, which doors have answered (it keeps its name).
    "osdi:osdi_update_question": shared("409 409 409 403 403 409 401"),
    "osdi:osdi_delete_question": shared("405 405 405 405 405 405 401"),
    "osdi:osdi_list_answers": shared(API_SIGNED_IN),
    "osdi:osdi_get_answer": scoped("200 200 200 404 404 404 401"),
    "osdi:osdi_list_efforts": shared(API_SIGNED_IN),
    "osdi:osdi_get_effort": scoped(API_IN_SCOPE),
    # The probe's effort has no area named: the user's own areas (the outsider's are the foreign ones).
    "osdi:osdi_create_effort": shared(API_EDIT),
    "osdi:osdi_update_effort": scoped("200 200 200 403 403 404 401"),
    # 409: doors have been knocked for the world's effort, whose visits stay.
    "osdi:osdi_delete_effort": scoped("409 409 409 403 403 404 401"),
    "osdi:osdi_list_canvasses": scoped(API_IN_SCOPE),
    "osdi:osdi_get_canvass": scoped("200 200 200 404 404 404 401"),
    "osdi:osdi_delete_canvass": scoped("405 405 405 404 404 404 401"),
    "osdi:osdi_list_canvass_answers": scoped("200 200 200 404 404 404 401"),
    "osdi:osdi_list_person_canvasses": scoped(API_IN_SCOPE),
    "osdi:osdi_create_person_canvass": scoped(API_IN_SCOPE),
    "osdi:osdi_record_canvass_helper": scoped(API_IN_SCOPE),
    "osdi:osdi_record_person_canvass_helper": scoped(API_IN_SCOPE),
    "osdi:osdi_list_forms_forms": shared(API_SIGNED_IN),
    "osdi:osdi_create_form_forms": shared(API_EDIT),
    "osdi:osdi_delete_form_forms": scoped("200 200 200 403 403 404 401"),
    "osdi:osdi_get_form_forms": scoped(API_IN_SCOPE),
    "osdi:osdi_list_submissions_forms": scoped(API_IN_SCOPE),
    "osdi:osdi_create_submission_forms": scoped("200 200 200 403 403 404 401"),
    "osdi:osdi_get_submission_forms": scoped(API_IN_SCOPE),
    "osdi:osdi_record_helper_forms": scoped("200 200 200 403 404 404 401"),
    "osdi:osdi_list_person_submissions_forms": scoped(API_IN_SCOPE),
    "osdi:osdi_list_forms_petitions": shared(API_SIGNED_IN),
    "osdi:osdi_create_form_petitions": shared(API_EDIT),
    "osdi:osdi_delete_form_petitions": scoped("200 200 200 403 403 404 401"),
    "osdi:osdi_get_form_petitions": scoped(API_IN_SCOPE),
    "osdi:osdi_list_submissions_petitions": scoped(API_IN_SCOPE),
    "osdi:osdi_create_submission_petitions": scoped("200 200 200 403 403 404 401"),
    "osdi:osdi_get_submission_petitions": scoped(API_IN_SCOPE),
    "osdi:osdi_record_helper_petitions": scoped("200 200 200 403 404 404 401"),
    "osdi:osdi_list_person_submissions_petitions": scoped(API_IN_SCOPE),
    "osdi:osdi_list_tags": shared(API_SIGNED_IN),
    "osdi:osdi_create_tag": shared(API_EDIT),
    "osdi:osdi_get_tag": shared(API_SIGNED_IN),
    # A tag is everyone's: only who sees everyone renames or deletes one.
    "osdi:osdi_update_tag": shared("200 403 403 403 403 403 401"),
    "osdi:osdi_delete_tag": shared("200 403 403 403 403 403 401"),
    "osdi:osdi_list_lists": shared(API_SIGNED_IN),
    "osdi:osdi_create_list": shared(API_EDIT),
    "osdi:osdi_get_list": shared(API_SIGNED_IN),
    "osdi:osdi_update_list": shared("200 403 403 403 403 403 401"),
    "osdi:osdi_delete_list": shared("200 403 403 403 403 403 401"),
    "osdi:osdi_list_items": shared(API_SIGNED_IN),
    "osdi:osdi_create_item": scoped("200 200 200 403 403 404 401"),
    "osdi:osdi_get_item": scoped(API_IN_SCOPE),
    "osdi:osdi_delete_item": scoped("200 200 200 403 403 404 401"),
    "osdi:api-root": shared(API_SIGNED_IN),
    # api tokens
    "api_tokens": shared(SIGNED_IN),
    "api_token_revoke": shared(POST_ONLY, post="404 404 404 404 404 404 login"),
    # the admin site: staff only; for the administrator, whatever each admin page answers
    "admin:*": shared(ADMIN_SITE),
    "/admin/*": shared(ADMIN_SITE),
    "admin:login": shared("redirect 200 200 200 200 200 200", post=PUBLIC),
    "admin:logout": shared(
        "405 redirect redirect redirect redirect redirect redirect",
        post="login redirect redirect redirect redirect redirect redirect",
    ),
}
