//! The stories, grouped by area. Each is `pub async fn name(env: Env)` and reads as a
//! sentence; `all()` registers them (a story missing there does not run).

mod accounts;
mod cancellation;
mod catalog;
mod check_ins;
mod directory;
mod links;
mod maintenance;
mod outbox;
mod shelf;
mod treatments;

use crate::harness::Story;

macro_rules! stories {
    ($($module:ident :: $name:ident),* $(,)?) => {
        vec![$(
            (
                concat!(stringify!($module), "::", stringify!($name)),
                (|env| Box::pin($module::$name(env))) as Story,
            )
        ),*]
    };
}

/// Every story, by `area::name`.
pub fn all() -> Vec<(&'static str, Story)> {
    stories![
        accounts::clinics_are_created_found_listed_and_updated,
        accounts::user_emails_are_normalised_and_unique_across_clinics,
        accounts::users_are_found_only_in_their_own_clinic,
        accounts::an_invitation_is_accepted_once_and_sends_its_mail,
        accounts::an_expired_invitation_cannot_be_accepted,
        accounts::accepting_with_a_taken_email_conflicts_and_keeps_the_invitation,
        accounts::sessions_are_found_touched_and_deleted,
        accounts::sessions_of_disabled_users_are_refused,
        accounts::a_password_change_deletes_the_other_sessions,
        accounts::expired_sessions_are_swept,
        treatments::clinic_b_cannot_read_or_touch_clinic_a,
        treatments::rows_cannot_point_into_another_clinic,
        treatments::the_dashboard_lists_red_flags_first,
        treatments::an_out_of_range_fitzpatrick_type_is_refused,
        treatments::protocols_are_uploaded_listed_and_made_default,
        links::links_are_found_by_token_hash_only,
        links::expired_and_revoked_links_stop_working,
        links::a_link_and_its_mail_are_written_together,
        check_ins::a_red_flag_check_in_writes_alert_and_mail_atomically,
        check_ins::an_expected_check_in_raises_no_alert,
        check_ins::a_failed_check_in_leaves_nothing_half_written,
        check_ins::two_hundred_concurrent_check_ins_all_succeed,
        cancellation::a_check_in_dropped_at_any_await_leaves_the_store_usable_and_whole,
        check_ins::an_alert_is_acknowledged_once_with_a_note,
        check_ins::open_alerts_are_listed_most_serious_first,
        outbox::two_concurrent_claimers_claim_each_message_exactly_once,
        outbox::a_claimed_message_is_leased_until_it_expires,
        outbox::failures_back_off_and_sent_messages_stay_sent,
        outbox::only_due_messages_are_claimed_oldest_first,
        outbox::concurrent_delivery_reports_never_fail,
        maintenance::ping_and_integrity_check_pass_on_a_healthy_store,
        maintenance::timestamps_round_trip_exactly,
        maintenance::export_and_import_round_trip_across_backends,
        maintenance::import_refuses_a_store_with_data_and_foreign_dumps,
        maintenance::connect_picks_the_backend_from_the_url,
        maintenance::backup_writes_a_usable_copy,
        maintenance::a_read_only_connection_reads_and_never_writes,
        directory::a_profile_is_public_only_when_opted_in_and_approved,
        directory::profiles_stay_in_their_clinic,
        directory::the_database_refuses_inconsistent_profiles,
        directory::the_directory_version_moves_with_every_change,
        directory::profiles_survive_export_and_import,
        shelf::products_are_added_listed_updated_and_removed,
        shelf::another_clinic_cannot_see_or_touch_a_shelf,
        shelf::the_database_refuses_an_empty_name_or_type,
        shelf::shelf_products_survive_export_and_import,
        catalog::a_catalog_is_set_replaced_and_cleared,
        catalog::another_clinic_cannot_read_or_clear_a_catalog,
        catalog::catalogs_survive_export_and_import,
    ]
}
