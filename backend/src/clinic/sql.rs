//! One SQL text for both databases where they agree (design habit 12): the clinic and
//! statistics tables keep times as integer milliseconds and days as text in SQLite and
//! PostgreSQL alike, so their single-statement operations are written once here with
//! `$n` placeholders (turned into SQLite's `?n`), with parameters and values that are
//! only integers, text and NULL. Operations of several statements in one transaction
//! are written per database beside their callers.

use crate::db::Db;
use crate::error::{Error, Result};
use rusqlite::types::{ToSqlOutput, ValueRef};
use tokio_postgres::types::{IsNull, ToSql, Type, to_sql_checked};

/// A parameter.
#[derive(Debug, Clone)]
pub enum P {
    /// An integer (BIGINT in PostgreSQL; also written to INTEGER and SMALLINT columns).
    I(i64),
    /// Text (also written to a PostgreSQL DATE column when it holds `YYYY-MM-DD`).
    S(String),
    /// NULL of any type.
    Null,
}

impl From<i64> for P {
    fn from(v: i64) -> P {
        P::I(v)
    }
}

impl From<&str> for P {
    fn from(v: &str) -> P {
        P::S(v.to_owned())
    }
}

impl From<String> for P {
    fn from(v: String) -> P {
        P::S(v)
    }
}

impl From<Option<i64>> for P {
    fn from(v: Option<i64>) -> P {
        v.map_or(P::Null, P::I)
    }
}

impl From<Option<String>> for P {
    fn from(v: Option<String>) -> P {
        v.map_or(P::Null, P::S)
    }
}

impl From<bool> for P {
    fn from(v: bool) -> P {
        P::I(i64::from(v))
    }
}

impl rusqlite::ToSql for P {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            P::I(v) => ToSqlOutput::Borrowed(ValueRef::Integer(*v)),
            P::S(v) => ToSqlOutput::Borrowed(ValueRef::Text(v.as_bytes())),
            P::Null => ToSqlOutput::Borrowed(ValueRef::Null),
        })
    }
}

impl ToSql for P {
    fn to_sql(&self, ty: &Type, out: &mut tokio_postgres::types::private::BytesMut) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            P::Null => Ok(IsNull::Yes),
            P::I(v) if *ty == Type::INT4 => i32::try_from(*v)?.to_sql(ty, out),
            P::I(v) if *ty == Type::INT2 => i16::try_from(*v)?.to_sql(ty, out),
            P::I(v) if *ty == Type::BOOL => (*v != 0).to_sql(ty, out),
            P::I(v) => v.to_sql(ty, out),
            P::S(v) if *ty == Type::DATE => v.parse::<chrono::NaiveDate>()?.to_sql(ty, out),
            P::S(v) => v.as_str().to_sql(ty, out),
        }
    }

    fn accepts(ty: &Type) -> bool {
        [Type::INT8, Type::INT4, Type::INT2, Type::BOOL, Type::TEXT, Type::VARCHAR, Type::DATE].contains(ty)
    }

    to_sql_checked!();
}

/// A value read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum V {
    /// NULL.
    Null,
    /// An integer (or a boolean as 0/1).
    I(i64),
    /// Text (a PostgreSQL DATE as `YYYY-MM-DD`).
    S(String),
}

/// One row.
#[derive(Debug, Clone)]
pub struct Row(pub Vec<V>);

fn bad(i: usize) -> Error {
    Error::Db(format!("column {i} has an unexpected type"))
}

impl Row {
    /// Column `i` as an integer.
    pub fn i(&self, i: usize) -> Result<i64> {
        match self.0.get(i) {
            Some(V::I(v)) => Ok(*v),
            _ => Err(bad(i)),
        }
    }

    /// Column `i` as an integer or NULL.
    pub fn oi(&self, i: usize) -> Result<Option<i64>> {
        match self.0.get(i) {
            Some(V::I(v)) => Ok(Some(*v)),
            Some(V::Null) => Ok(None),
            _ => Err(bad(i)),
        }
    }

    /// Column `i` as text.
    pub fn s(&self, i: usize) -> Result<String> {
        match self.0.get(i) {
            Some(V::S(v)) => Ok(v.clone()),
            _ => Err(bad(i)),
        }
    }

    /// Column `i` as text or NULL.
    pub fn os(&self, i: usize) -> Result<Option<String>> {
        match self.0.get(i) {
            Some(V::S(v)) => Ok(Some(v.clone())),
            Some(V::Null) => Ok(None),
            _ => Err(bad(i)),
        }
    }

    /// Column `i` as a date (`YYYY-MM-DD`).
    pub fn d(&self, i: usize) -> Result<chrono::NaiveDate> {
        self.s(i)?.parse().map_err(|_| bad(i))
    }

    /// Column `i` as a date or NULL.
    pub fn od(&self, i: usize) -> Result<Option<chrono::NaiveDate>> {
        self.os(i)?.map(|s| s.parse().map_err(|_| bad(i))).transpose()
    }

    /// Column `i` (milliseconds) as a time.
    pub fn t(&self, i: usize) -> Result<chrono::DateTime<chrono::Utc>> {
        Ok(time(self.i(i)?))
    }
}

/// Milliseconds since the epoch.
pub fn ms(t: chrono::DateTime<chrono::Utc>) -> i64 {
    t.timestamp_millis()
}

/// A time from milliseconds.
pub fn time(ms: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or(chrono::DateTime::UNIX_EPOCH)
}

/// `$1` … as SQLite's `?1` ….
pub fn sqlite_text(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

/// A SQLite row as values.
pub fn sqlite_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    let n = r.as_ref().column_count();
    let mut v = Vec::with_capacity(n);
    for i in 0..n {
        v.push(match r.get_ref(i)? {
            ValueRef::Null => V::Null,
            ValueRef::Integer(x) => V::I(x),
            ValueRef::Real(x) => V::I(x as i64),
            ValueRef::Text(t) | ValueRef::Blob(t) => V::S(String::from_utf8_lossy(t).into_owned()),
        });
    }
    Ok(Row(v))
}

/// A PostgreSQL row as values.
pub fn pg_row(r: &tokio_postgres::Row) -> Result<Row> {
    let mut v = Vec::with_capacity(r.len());
    for (i, col) in r.columns().iter().enumerate() {
        let t = col.type_();
        v.push(if *t == Type::INT8 {
            r.try_get::<_, Option<i64>>(i)?.map_or(V::Null, V::I)
        } else if *t == Type::INT4 {
            r.try_get::<_, Option<i32>>(i)?.map_or(V::Null, |x| V::I(i64::from(x)))
        } else if *t == Type::INT2 {
            r.try_get::<_, Option<i16>>(i)?.map_or(V::Null, |x| V::I(i64::from(x)))
        } else if *t == Type::BOOL {
            r.try_get::<_, Option<bool>>(i)?.map_or(V::Null, |x| V::I(i64::from(x)))
        } else if *t == Type::FLOAT8 {
            r.try_get::<_, Option<f64>>(i)?.map_or(V::Null, |x| V::I(x as i64))
        } else if *t == Type::TIMESTAMPTZ {
            // As SQLite keeps times: milliseconds since the epoch.
            r.try_get::<_, Option<chrono::DateTime<chrono::Utc>>>(i)?.map_or(V::Null, |x| V::I(x.timestamp_millis()))
        } else if *t == Type::DATE {
            r.try_get::<_, Option<chrono::NaiveDate>>(i)?.map_or(V::Null, |x| V::S(x.to_string()))
        } else {
            r.try_get::<_, Option<String>>(i)?.map_or(V::Null, V::S)
        });
    }
    Ok(Row(v))
}

/// Runs one query and returns its rows.
pub async fn query(db: &Db, sql: &str, params: Vec<P>) -> Result<Vec<Row>> {
    match db {
        Db::Sqlite(s) => {
            let sql = sqlite_text(sql);
            s.read(move |c| {
                let mut st = c.prepare_cached(&sql)?;
                let rows = st.query_map(rusqlite::params_from_iter(params.iter()), sqlite_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
                Ok(rows)
            })
            .await
        }
        Db::Postgres(p) => {
            let c = p.pool().get().await?;
            let st = c.prepare_cached(sql).await?;
            let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
            c.query(&st, &refs).await?.iter().map(pg_row).collect()
        }
    }
}

/// Runs one statement on its own (a transaction of one); the rows it changed.
pub async fn exec(db: &Db, sql: &str, params: Vec<P>) -> Result<u64> {
    match db {
        Db::Sqlite(s) => {
            let sql = sqlite_text(sql);
            s.write(move |tx| Ok(tx.prepare_cached(&sql)?.execute(rusqlite::params_from_iter(params.iter()))? as u64)).await
        }
        Db::Postgres(p) => {
            let c = p.pool().get().await?;
            let st = c.prepare_cached(sql).await?;
            let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
            Ok(c.execute(&st, &refs).await?)
        }
    }
}

/// Runs one statement in a SQLite transaction.
pub fn sqlite_exec(tx: &rusqlite::Connection, sql: &str, params: &[P]) -> Result<usize> {
    Ok(tx.prepare_cached(&sqlite_text(sql))?.execute(rusqlite::params_from_iter(params.iter()))?)
}

/// Runs one query in a SQLite transaction.
pub fn sqlite_query(tx: &rusqlite::Connection, sql: &str, params: &[P]) -> Result<Vec<Row>> {
    let mut st = tx.prepare_cached(&sqlite_text(sql))?;
    let rows = st.query_map(rusqlite::params_from_iter(params.iter()), sqlite_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Runs one statement in a PostgreSQL transaction.
pub async fn pg_exec(tx: &impl tokio_postgres::GenericClient, sql: &str, params: &[P]) -> Result<u64> {
    let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
    Ok(tx.execute(sql, &refs).await?)
}

/// Runs one query in a PostgreSQL transaction.
pub async fn pg_query(tx: &impl tokio_postgres::GenericClient, sql: &str, params: &[P]) -> Result<Vec<Row>> {
    let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
    tx.query(sql, &refs).await?.iter().map(pg_row).collect()
}

/// Whether a database error is a unique violation (which constraint is not needed).
pub fn is_unique(e: &Error) -> bool {
    matches!(e, Error::Db(code) if code.contains("(2067)") || code.contains("(1555)") || code.contains("sqlstate 23505"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_turn_into_sqlites() {
        assert_eq!(super::sqlite_text("a = $1 AND b = $12 OR c = '$x'"), "a = ?1 AND b = ?12 OR c = '$x'");
    }
}
