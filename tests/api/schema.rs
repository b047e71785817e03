//! Both dialects' migrations must build the same schema: the same tables,
//! the same columns in each, the same nullability and the same primary keys.
//! Types are spelled differently (INTEGER/BIGINT, TEXT/VARCHAR) and are not
//! compared; a column or a NOT NULL forgotten in one dialect is exactly the
//! drift that would let a store function work on one database only.

use std::collections::BTreeMap;

use sqlx::Row;

use crate::helpers::{create_postgres_database, drop_postgres_database};

/// table → column → (nullable, part of the primary key)
type Schema = BTreeMap<String, BTreeMap<String, (bool, bool)>>;

async fn sqlite_schema() -> Schema {
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("schema.db").display()
    );
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    fridhem::db::SQLITE_MIGRATIONS.run(&pool).await.unwrap();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let mut schema = Schema::new();
    for table in tables {
        let columns = sqlx::query("SELECT name, \"notnull\", pk FROM pragma_table_info(?)")
            .bind(&table)
            .fetch_all(&pool)
            .await
            .unwrap();
        let entry = schema.entry(table).or_default();
        for column in columns {
            let name: String = column.get("name");
            let not_null: i64 = column.get("notnull");
            let pk: i64 = column.get("pk");
            // SQLite lets a non-INTEGER primary key hold NULL unless it is
            // declared NOT NULL; PostgreSQL implies it. Compare what each
            // migration says, with the key implying NOT NULL as in PostgreSQL.
            entry.insert(name, (not_null == 0 && pk == 0, pk > 0));
        }
    }
    pool.close().await;
    schema
}

async fn postgres_schema(url: &str) -> Schema {
    let pool = sqlx::PgPool::connect(url).await.unwrap();
    fridhem::db::POSTGRES_MIGRATIONS.run(&pool).await.unwrap();
    let rows = sqlx::query(
        "SELECT c.table_name::text AS table_name, c.column_name::text AS column_name, \
                c.is_nullable = 'YES' AS nullable, \
                EXISTS (SELECT 1 FROM information_schema.table_constraints t \
                        JOIN information_schema.key_column_usage k \
                          ON k.constraint_name = t.constraint_name AND k.table_schema = t.table_schema \
                        WHERE t.constraint_type = 'PRIMARY KEY' AND t.table_schema = c.table_schema \
                          AND t.table_name = c.table_name AND k.column_name = c.column_name) AS pk \
         FROM information_schema.columns c \
         WHERE c.table_schema = 'public' AND c.table_name <> '_sqlx_migrations'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let mut schema = Schema::new();
    for row in rows {
        schema
            .entry(row.get("table_name"))
            .or_default()
            .insert(row.get("column_name"), (row.get("nullable"), row.get("pk")));
    }
    pool.close().await;
    schema
}

fn differences(sqlite: &Schema, postgres: &Schema) -> Vec<String> {
    let mut out = vec![];
    for table in sqlite.keys().chain(postgres.keys()) {
        match (sqlite.get(table), postgres.get(table)) {
            (Some(_), None) => out.push(format!("table {table} only in SQLite")),
            (None, Some(_)) => out.push(format!("table {table} only in PostgreSQL")),
            (Some(s), Some(p)) => {
                for column in s.keys().chain(p.keys()) {
                    match (s.get(column), p.get(column)) {
                        (Some(_), None) => out.push(format!("{table}.{column} only in SQLite")),
                        (None, Some(_)) => out.push(format!("{table}.{column} only in PostgreSQL")),
                        (Some((sn, sk)), Some((pn, pk))) => {
                            if sn != pn {
                                out.push(format!(
                                    "{table}.{column}: nullable {sn} in SQLite, {pn} in PostgreSQL"
                                ));
                            }
                            if sk != pk {
                                out.push(format!(
                                    "{table}.{column}: primary key {sk} in SQLite, {pk} in PostgreSQL"
                                ));
                            }
                        }
                        (None, None) => unreachable!(),
                    }
                }
            }
            (None, None) => unreachable!(),
        }
    }
    out.sort();
    out.dedup();
    out
}

#[tokio::test]
#[ignore = "needs PostgreSQL (FRIDHEM_TEST_POSTGRES_URL)"]
async fn both_dialects_build_the_same_schema() {
    let (url, name) = create_postgres_database().await;
    let postgres = postgres_schema(&url).await;
    drop_postgres_database(&name).await;
    let sqlite = sqlite_schema().await;

    // The comparison must have something to compare: every table the
    // application reads is there in both.
    for table in ["pages", "services", "phones", "cases", "outbox"] {
        assert!(sqlite.contains_key(table), "SQLite lacks {table}");
        assert!(postgres.contains_key(table), "PostgreSQL lacks {table}");
    }
    let columns: usize = sqlite.values().map(BTreeMap::len).sum();
    assert!(
        columns > 100,
        "only {columns} columns were read from SQLite"
    );
    let problems = differences(&sqlite, &postgres);
    assert!(
        problems.is_empty(),
        "the migrations differ:\n  {}",
        problems.join("\n  ")
    );
}

#[test]
fn the_comparison_names_each_kind_of_drift() {
    let schema = |cols: &[(&str, &str, bool, bool)]| {
        let mut s = Schema::new();
        for (t, c, n, k) in cols {
            s.entry(t.to_string())
                .or_default()
                .insert(c.to_string(), (*n, *k));
        }
        s
    };
    let sqlite = schema(&[
        ("a", "id", false, true),
        ("a", "x", true, false),
        ("b", "id", false, true),
    ]);
    let postgres = schema(&[
        ("a", "id", false, true),
        ("a", "x", false, false),
        ("a", "y", true, false),
    ]);
    assert_eq!(
        differences(&sqlite, &postgres),
        [
            "a.x: nullable true in SQLite, false in PostgreSQL",
            "a.y only in PostgreSQL",
            "table b only in SQLite",
        ]
    );
}

/// The translation tables take one row per item and language, only for
/// items that exist and languages the site has, and go with their item.
async fn translations_follow_their_source(app: &crate::helpers::TestApp) {
    let insert = |path: &'static str, lang: &'static str| {
        let db = app.db.clone();
        async move {
            fridhem::on_pool!(&db, |p| sqlx::query(
                "INSERT INTO page_translations \
                 (path, lang, title, description, body_md, source_updated_on, updated_on) \
                 SELECT $1, $2, 'Apua', 'Kuvaus', 'Teksti', updated_on, updated_on \
                 FROM pages WHERE path = $1 OR $1 = '/ei-ole'"
            )
            .bind(path)
            .bind(lang)
            .execute(p)
            .await
            .map(|_| ()))
        }
    };
    // The demo's translations of the page go first.
    fridhem::on_pool!(&app.db, |p| sqlx::query(
        "DELETE FROM page_translations WHERE path = '/hjalp'"
    )
    .execute(p)
    .await
    .map(|_| ()))
    .unwrap();
    insert("/hjalp", "fi").await.expect("a Finnish /hjalp");
    assert!(
        insert("/hjalp", "fi").await.is_err(),
        "one row per language"
    );
    assert!(
        insert("/hjalp", "de").await.is_err(),
        "only the site's languages"
    );
    assert!(
        insert("/ei-ole", "fi").await.is_err(),
        "only pages that exist"
    );
    let count = |sql: &'static str| {
        let db = app.db.clone();
        async move {
            fridhem::on_pool!(&db, |p| sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(p)
                .await)
            .unwrap()
        }
    };
    const OF_HJALP: &str = "SELECT COUNT(*) FROM page_translations WHERE path = '/hjalp'";
    assert_eq!(count(OF_HJALP).await, 1);
    fridhem::on_pool!(&app.db, |p| sqlx::query(
        "DELETE FROM pages WHERE path = '/hjalp'"
    )
    .execute(p)
    .await
    .map(|_| ()))
    .unwrap();
    assert_eq!(count(OF_HJALP).await, 0);
    assert!(count("SELECT COUNT(*) FROM page_translations").await > 0);
}

crate::db_tests!(translations_follow_their_source);
