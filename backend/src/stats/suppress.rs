//! Small-cell suppression: a count from 1 to 4 is shown as "<5", and every total is
//! the sum of the cells shown, so a hidden cell never counts in a total that would
//! reveal it (a total that left one out says so). Zero and 5 or more are shown as they
//! are.

use serde::{Serialize, Serializer};

/// The smallest count shown as it is (besides zero).
pub const THRESHOLD: i64 = 5;

/// A cell as published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    /// A count shown as it is (0, or 5 or more).
    Shown(i64),
    /// A count from 1 to 4.
    Small,
}

impl Cell {
    /// The published form of a count.
    pub fn of(n: i64) -> Cell {
        if (1..THRESHOLD).contains(&n) { Cell::Small } else { Cell::Shown(n) }
    }

    /// What it adds to a total: nothing when hidden.
    pub fn shown(self) -> i64 {
        match self {
            Cell::Shown(n) => n,
            Cell::Small => 0,
        }
    }

    /// As text: the number or `<5`.
    pub fn text(self) -> String {
        match self {
            Cell::Shown(n) => n.to_string(),
            Cell::Small => format!("<{THRESHOLD}"),
        }
    }
}

impl Serialize for Cell {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Cell::Shown(n) => s.serialize_i64(*n),
            Cell::Small => s.serialize_str("<5"),
        }
    }
}

/// A total of published cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Total {
    /// Sum of the cells shown.
    pub value: i64,
    /// Some cell was hidden and is not in `value`.
    pub partial: bool,
}

impl Total {
    /// The total of `cells`.
    pub fn of<'a>(cells: impl IntoIterator<Item = &'a Cell>) -> Total {
        cells.into_iter().fold(Total { value: 0, partial: false }, |t, c| Total { value: t.value + c.shown(), partial: t.partial || *c == Cell::Small })
    }

    /// The total of other totals.
    pub fn sum<'a>(totals: impl IntoIterator<Item = &'a Total>) -> Total {
        totals.into_iter().fold(Total { value: 0, partial: false }, |t, o| Total { value: t.value + o.value, partial: t.partial || o.partial })
    }

    /// As text: `12`, or `12*` when a hidden cell is left out.
    pub fn text(self) -> String {
        if self.partial { format!("{}*", self.value) } else { self.value.to_string() }
    }
}

/// Publishes raw counts.
pub fn cells(raw: &[i64]) -> Vec<Cell> {
    raw.iter().map(|n| Cell::of(*n)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_counts_are_hidden_and_left_out_of_totals() {
        let c = cells(&[0, 1, 4, 5, 12]);
        assert_eq!(c, vec![Cell::Shown(0), Cell::Small, Cell::Small, Cell::Shown(5), Cell::Shown(12)]);
        assert_eq!(c.iter().map(|c| c.text()).collect::<Vec<_>>(), ["0", "<5", "<5", "5", "12"]);
        let t = Total::of(&c);
        assert_eq!(t, Total { value: 17, partial: true });
        assert_eq!(t.text(), "17*");
        // One hidden cell in a row: the total cannot give it away.
        let row = cells(&[20, 3]);
        assert_eq!(Total::of(&row).value, 20);
        assert_eq!(Total::of(&cells(&[6, 7])), Total { value: 13, partial: false });
        assert_eq!(serde_json::to_string(&c).ok().as_deref(), Some(r#"[0,"<5","<5",5,12]"#));
    }
}
