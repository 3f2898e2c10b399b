//! The part of gnostic's `openapi_v2` protobuf messages (the Swagger 2.0
//! document as kubectl decodes it) this server fills in, with the field
//! numbers of `openapiv2/OpenAPIv2.proto`, and their making from a JSON
//! Schema of the OpenAPI v3 documents.

use serde_json::Value;

#[derive(Clone, PartialEq, prost::Message)]
pub struct Document {
    #[prost(string, tag = "1")]
    pub swagger: String,
    #[prost(message, optional, tag = "2")]
    pub info: Option<Info>,
    #[prost(message, optional, tag = "8")]
    pub paths: Option<Paths>,
    #[prost(message, optional, tag = "9")]
    pub definitions: Option<Definitions>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Info {
    #[prost(string, tag = "1")]
    pub title: String,
    #[prost(string, tag = "2")]
    pub version: String,
}

/// No paths: kubectl reads the definitions only.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Paths {}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Definitions {
    #[prost(message, repeated, tag = "1")]
    pub additional_properties: Vec<NamedSchema>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct NamedSchema {
    #[prost(string, tag = "1")]
    pub name: String,
    #[prost(message, optional, tag = "2")]
    pub value: Option<Schema>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Schema {
    #[prost(string, tag = "1")]
    pub reference: String,
    #[prost(string, tag = "2")]
    pub format: String,
    #[prost(string, tag = "4")]
    pub description: String,
    #[prost(message, optional, tag = "5")]
    pub default: Option<Any>,
    #[prost(string, repeated, tag = "19")]
    pub required: Vec<String>,
    #[prost(message, repeated, tag = "20")]
    pub enumeration: Vec<Any>,
    #[prost(message, optional, tag = "21")]
    pub additional_properties: Option<AdditionalPropertiesItem>,
    #[prost(message, optional, tag = "22")]
    pub kind: Option<TypeItem>,
    #[prost(message, optional, tag = "23")]
    pub items: Option<ItemsItem>,
    #[prost(message, repeated, tag = "24")]
    pub all_of: Vec<Schema>,
    #[prost(message, optional, tag = "25")]
    pub properties: Option<Properties>,
    #[prost(message, repeated, tag = "31")]
    pub vendor_extension: Vec<NamedAny>,
}

/// A schema or `true`/`false` (a `oneof` in the proto file; the same bytes).
#[derive(Clone, PartialEq, prost::Message)]
pub struct AdditionalPropertiesItem {
    #[prost(message, optional, boxed, tag = "1")]
    pub schema: Option<Box<Schema>>,
    #[prost(bool, optional, tag = "2")]
    pub boolean: Option<bool>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct TypeItem {
    #[prost(string, repeated, tag = "1")]
    pub value: Vec<String>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct ItemsItem {
    #[prost(message, repeated, tag = "1")]
    pub schema: Vec<Schema>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Properties {
    #[prost(message, repeated, tag = "1")]
    pub additional_properties: Vec<NamedSchema>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct NamedAny {
    #[prost(string, tag = "1")]
    pub name: String,
    #[prost(message, optional, tag = "2")]
    pub value: Option<Any>,
}

/// A value written as YAML (JSON is YAML).
#[derive(Clone, PartialEq, prost::Message)]
pub struct Any {
    #[prost(string, tag = "2")]
    pub yaml: String,
}

impl Any {
    fn of(value: &Value) -> Any {
        Any {
            yaml: value.to_string(),
        }
    }
}

impl Schema {
    /// The schema of a JSON Schema (OpenAPI v3 dialect) object: the parts
    /// Swagger 2.0 has, and every `x-` extension.
    pub fn from_json(schema: &Value) -> Schema {
        let text = |key: &str| {
            schema
                .get(key)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let mut converted = Schema {
            reference: text("$ref").replace("#/components/schemas/", "#/definitions/"),
            format: text("format"),
            description: text("description"),
            default: schema.get("default").map(Any::of),
            ..Schema::default()
        };
        if let Some(kind) = schema.get("type").and_then(Value::as_str) {
            converted.kind = Some(TypeItem {
                value: vec![kind.to_owned()],
            });
        }
        if let Some(required) = schema.get("required").and_then(Value::as_array) {
            converted.required = required
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect();
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            converted.enumeration = values.iter().map(Any::of).collect();
        }
        if let Some(items) = schema.get("items") {
            converted.items = Some(ItemsItem {
                schema: vec![Schema::from_json(items)],
            });
        }
        if let Some(all_of) = schema.get("allOf").and_then(Value::as_array) {
            converted.all_of = all_of.iter().map(Schema::from_json).collect();
        }
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            converted.properties = Some(Properties {
                additional_properties: properties
                    .iter()
                    .map(|(name, property)| NamedSchema {
                        name: name.clone(),
                        value: Some(Schema::from_json(property)),
                    })
                    .collect(),
            });
        }
        converted.additional_properties = match schema.get("additionalProperties") {
            Some(Value::Bool(allowed)) => Some(AdditionalPropertiesItem {
                schema: None,
                boolean: Some(*allowed),
            }),
            Some(inner @ Value::Object(_)) => Some(AdditionalPropertiesItem {
                schema: Some(Box::new(Schema::from_json(inner))),
                boolean: None,
            }),
            _ => None,
        };
        if let Some(fields) = schema.as_object() {
            converted.vendor_extension = fields
                .iter()
                .filter(|(name, _)| name.starts_with("x-"))
                .map(|(name, value)| NamedAny {
                    name: name.clone(),
                    value: Some(Any::of(value)),
                })
                .collect();
        }
        converted
    }
}
