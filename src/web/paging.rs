//! Query parameters for lists: a parameter given once, and pages.

use serde::Serialize;

/// The value of a query parameter; given twice it is ambiguous, so refused.
pub fn single_param(query: Option<&str>, name: &str) -> Result<Option<String>, String> {
    let mut values = url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .filter(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned());
    let first = values.next();
    if values.next().is_some() {
        return Err(format!("{name} may be given only once"));
    }
    Ok(first)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    /// 1-based.
    pub page: u32,
    pub per_page: u32,
}

impl Paging {
    /// `page` and `per_page` from the query, with the defaults and the
    /// largest page size allowed; a message for a bad value.
    pub fn from_query(
        query: Option<&str>,
        default_per_page: u32,
        max_per_page: u32,
    ) -> Result<Paging, String> {
        let number = |name: &str, max: u32, expected: &str| -> Result<Option<u32>, String> {
            let Some(text) = single_param(query, name)? else {
                return Ok(None);
            };
            match text.parse::<u32>() {
                Ok(n) if (1..=max).contains(&n) => Ok(Some(n)),
                _ => Err(format!("{name} must be {expected}")),
            }
        };
        Ok(Paging {
            page: number("page", u32::MAX, "a whole number of 1 or more")?.unwrap_or(1),
            per_page: number(
                "per_page",
                max_per_page,
                &format!("a whole number from 1 to {max_per_page}"),
            )?
            .unwrap_or(default_per_page),
        })
    }

    /// A page past the end is an empty page, not an error, so a client
    /// walking pages while an editor deletes a record does not fail.
    pub fn page<T, U>(self, items: Vec<T>, to_json: impl Fn(T) -> U) -> ListPage<U> {
        let per_page = self.per_page as usize;
        let total_items = items.len();
        let total_pages = total_items.div_ceil(per_page);
        let skip = (self.page as usize - 1).saturating_mul(per_page);
        let contents: Vec<U> = items
            .into_iter()
            .skip(skip)
            .take(per_page)
            .map(to_json)
            .collect();
        ListPage {
            total_items,
            total_pages,
            page_number: self.page,
            size: contents.len(),
            first_page: self.page == 1,
            last_page: self.page as usize >= total_pages,
            empty: contents.is_empty(),
            contents,
        }
    }
}

/// One page of a list, in the `Page` envelope of the HSDS OpenAPI
/// description (which other list endpoints reuse).
#[derive(Debug, Serialize)]
pub struct ListPage<T> {
    total_items: usize,
    total_pages: usize,
    page_number: u32,
    size: usize,
    first_page: bool,
    last_page: bool,
    empty: bool,
    contents: Vec<T>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_defaults_and_limits() {
        assert_eq!(
            Paging::from_query(None, 50, 200).unwrap(),
            Paging {
                page: 1,
                per_page: 50
            }
        );
        assert_eq!(
            Paging::from_query(Some("page=2&per_page=200"), 50, 200).unwrap(),
            Paging {
                page: 2,
                per_page: 200
            }
        );
        for bad in [
            "page=0",
            "page=-1",
            "page=x",
            "page=",
            "page=1.5",
            "per_page=0",
            "per_page=201",
            "per_page=99999999999",
            "page=1&page=2",
        ] {
            assert!(Paging::from_query(Some(bad), 50, 200).is_err(), "{bad}");
        }
    }

    #[test]
    fn page_arithmetic() {
        let items: Vec<u32> = (1..=7).collect();
        let p = Paging {
            page: 3,
            per_page: 3,
        }
        .page(items.clone(), |i| i);
        assert_eq!((p.total_items, p.total_pages, p.size), (7, 3, 1));
        assert_eq!(p.contents, vec![7]);
        assert!(p.last_page && !p.first_page && !p.empty);
        let p = Paging {
            page: u32::MAX,
            per_page: 200,
        }
        .page(items, |i| i);
        assert!(p.empty && p.last_page);
        let p = Paging {
            page: 1,
            per_page: 50,
        }
        .page(Vec::<u32>::new(), |i| i);
        assert_eq!(
            (p.total_pages, p.first_page, p.last_page, p.empty),
            (0, true, true, true)
        );
    }
}
