//! Name rules shared by several kinds of object.

use super::FieldError;

/// The longest DNS label (RFC 1123) Kubernetes accepts as a namespace name.
pub const DNS_LABEL_MAX: usize = 63;

/// Checks `value` is a lowercase RFC 1123 label, as Kubernetes requires of
/// namespace (project) names. The message follows Kubernetes' wording.
pub fn validate_dns_label(field: &str, value: &str) -> Result<(), FieldError> {
    if value.is_empty() {
        return Err(FieldError::new(field, "Required value"));
    }
    if value.len() > DNS_LABEL_MAX {
        return Err(FieldError::new(
            field,
            format!("Invalid value: \"{value}\": must be no more than {DNS_LABEL_MAX} characters"),
        ));
    }
    let bytes = value.as_bytes();
    let allowed = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-';
    let alnum = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if !bytes.iter().all(allowed) || !alnum(&bytes[0]) || !alnum(&bytes[bytes.len() - 1]) {
        return Err(FieldError::new(
            field,
            format!(
                "Invalid value: \"{value}\": a lowercase RFC 1123 label must consist of lower case \
                 alphanumeric characters or '-', and must start and end with an alphanumeric \
                 character (e.g. 'my-name', or '123-abc')"
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_lowercase_labels() {
        for name in ["a", "team-a", "123-abc", &"x".repeat(63)] {
            assert_eq!(validate_dns_label("metadata.name", name), Ok(()), "{name}");
        }
    }

    #[test]
    fn refuses_bad_labels_naming_the_field() {
        for name in ["", "Team", "-a", "a-", "a_b", "a.b", &"x".repeat(64)] {
            let error = validate_dns_label("metadata.name", name).unwrap_err();
            assert_eq!(error.field, "metadata.name", "{name}");
        }
        let error = validate_dns_label("metadata.name", "Team").unwrap_err();
        assert!(
            error.message.contains("lowercase RFC 1123 label"),
            "{error}"
        );
        assert!(error.message.contains("\"Team\""), "{error}");
    }
}
