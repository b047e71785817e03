// `sqlx::migrate!` embeds the migration files at compile time but cannot
// tell cargo it read them, so a new or changed migration would not rebuild
// the crate (and CI, which reuses a target dir, would run the old schema).
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
