//! The one hash of the crate: a 128-bit xxh3 of anything that implements `Hash`. `watch`
//! compares these to tell what a save changed (a source's text, a file to write). The PDF
//! cache keeps keys on disk, always hashed with the handout engine's version and templates
//! (`handout::ENGINE`); a key from another build of `briefing` can only miss.

use std::hash::{Hash, Hasher};

use xxhash_rust::xxh3::Xxh3;

/// A 128-bit hash of `value`.
pub fn of<T: Hash + ?Sized>(value: &T) -> u128 {
    let mut h = Wide(Xxh3::new());
    value.hash(&mut h);
    h.0.digest128()
}

/// A 128-bit hash of a JSON value (a template's context): two values with the same hash show
/// the same thing. Walks the value and hashes each string's bytes whole, where serialising it
/// would scan every character for JSON escapes.
pub fn of_json(value: &serde_json::Value) -> u128 {
    let mut h = Wide(Xxh3::new());
    hash_json(value, &mut h);
    h.0.digest128()
}

fn hash_json(value: &serde_json::Value, h: &mut Wide) {
    use serde_json::Value;
    match value {
        Value::Null => h.write_u8(0),
        Value::Bool(b) => (1u8, *b).hash(h),
        // Its shortest decimal form: the same for the same number, as JSON would print it.
        Value::Number(n) => (2u8, n.to_string()).hash(h),
        Value::String(s) => (3u8, s).hash(h),
        Value::Array(items) => {
            (4u8, items.len()).hash(h);
            items.iter().for_each(|item| hash_json(item, h));
        }
        Value::Object(map) => {
            (5u8, map.len()).hash(h);
            for (key, item) in map {
                key.hash(h);
                hash_json(item, h);
            }
        }
    }
}

/// `Xxh3` as a `Hasher`, keeping its 128-bit digest at hand.
struct Wide(Xxh3);

impl Hasher for Wide {
    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    fn finish(&self) -> u64 {
        self.0.digest()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn equal_values_hash_equal_and_others_do_not() {
        assert_eq!(super::of("abc"), super::of(&String::from("abc")));
        assert_ne!(super::of(&("ab", "c")), super::of(&("a", "bc")), "parts are delimited");
        assert_ne!(super::of(&[1u8, 2][..]), super::of(&[1u8, 2, 0][..]));
    }

    #[test]
    fn json_values_hash_by_what_they_hold() {
        use serde_json::json;
        let of = |v: serde_json::Value| super::of_json(&v);
        assert_eq!(of(json!({"a": [1, "x", null, true]})), of(json!({"a": [1, "x", null, true]})));
        for (a, b) in [
            (json!({"a": "bc"}), json!({"ab": "c"})),
            (json!(["a", "b"]), json!(["ab"])),
            (json!([["a"], "b"]), json!([["a", "b"]])),
            (json!(1), json!("1")),
            (json!(1), json!(1.5)),
            (json!(null), json!(false)),
            (json!({"a": {}}), json!({"a": []})),
        ] {
            assert_ne!(of(a.clone()), of(b.clone()), "{a} and {b}");
        }
    }
}
