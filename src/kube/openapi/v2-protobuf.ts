import pb from 'protobufjs/minimal.js';

/**
 * `/openapi/v2` in the protobuf form kubectl asks for (`application/com.github.proto-openapi.spec.v2@v1.0+protobuf`):
 * gnostic's `openapi.v2.Document`, with the field numbers of its OpenAPIv2.proto. Only what a
 * Kubernetes document uses is written: info, paths with their operations, parameters and responses,
 * definitions, security. Free-form values (defaults, enums, `x-*` extensions) go as gnostic's `Any`
 * in YAML text (JSON is YAML).
 */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

type Json = Record<string, unknown>;
type W = pb.Writer;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const LEN = 2;
const VARINT = 0;
const FIXED64 = 1;

function str(w: W, field: number, v: unknown): void {
  if (typeof v === 'string' && v !== '') w.uint32((field << 3) | LEN).string(v);
}
function strs(w: W, field: number, v: unknown): void {
  if (Array.isArray(v)) for (const s of v) if (typeof s === 'string') w.uint32((field << 3) | LEN).string(s);
}
function bool(w: W, field: number, v: unknown): void {
  if (v === true) w.uint32((field << 3) | VARINT).bool(true);
}
function int64(w: W, field: number, v: unknown): void {
  if (typeof v === 'number' && Number.isInteger(v)) w.uint32((field << 3) | VARINT).int64(v);
}
function double(w: W, field: number, v: unknown): void {
  if (typeof v === 'number') w.uint32((field << 3) | FIXED64).double(v);
}
function msg(w: W, field: number, write: (w: W) => void): void {
  w.uint32((field << 3) | LEN).fork();
  write(w);
  w.ldelim();
}

/** gnostic's Any: the value as YAML text (field 2). */
function any(w: W, field: number, value: unknown): void {
  msg(w, field, (a) => str(a, 2, JSON.stringify(value)));
}

/** NamedAny entries for the `x-*` keys of an object. */
function extensions(w: W, field: number, o: Json): void {
  for (const [k, v] of Object.entries(o)) {
    if (!k.startsWith('x-')) continue;
    msg(w, field, (n) => {
      str(n, 1, k);
      any(n, 2, v);
    });
  }
}

function schema(w: W, s: Json): void {
  str(w, 1, s.$ref);
  str(w, 2, s.format);
  str(w, 3, s.title);
  str(w, 4, s.description);
  if (s.default !== undefined) any(w, 5, s.default);
  double(w, 6, s.multipleOf);
  double(w, 7, s.maximum);
  bool(w, 8, s.exclusiveMaximum);
  double(w, 9, s.minimum);
  bool(w, 10, s.exclusiveMinimum);
  int64(w, 11, s.maxLength);
  int64(w, 12, s.minLength);
  str(w, 13, s.pattern);
  int64(w, 14, s.maxItems);
  int64(w, 15, s.minItems);
  bool(w, 16, s.uniqueItems);
  int64(w, 17, s.maxProperties);
  int64(w, 18, s.minProperties);
  strs(w, 19, s.required);
  if (Array.isArray(s.enum)) for (const e of s.enum) any(w, 20, e);
  if (isObject(s.additionalProperties)) msg(w, 21, (a) => msg(a, 1, (x) => schema(x, s.additionalProperties as Json)));
  else if (typeof s.additionalProperties === 'boolean') msg(w, 21, (a) => a.uint32((2 << 3) | VARINT).bool(s.additionalProperties as boolean));
  if (s.type !== undefined) msg(w, 22, (t) => strs(t, 1, Array.isArray(s.type) ? s.type : [s.type]));
  if (isObject(s.items)) msg(w, 23, (i) => msg(i, 1, (x) => schema(x, s.items as Json)));
  if (Array.isArray(s.allOf)) for (const a of s.allOf) if (isObject(a)) msg(w, 24, (x) => schema(x, a));
  if (isObject(s.properties)) {
    msg(w, 25, (p) => {
      for (const [name, sub] of Object.entries(s.properties as Json)) {
        if (!isObject(sub)) continue;
        msg(p, 1, (n) => {
          str(n, 1, name);
          msg(n, 2, (x) => schema(x, sub));
        });
      }
    });
  }
  bool(w, 27, s.readOnly);
  if (s.example !== undefined) any(w, 30, s.example);
  extensions(w, 31, s);
}

function parameter(w: W, p: Json): void {
  // ParametersItem.parameter → Parameter
  msg(w, 1, (param) => {
    if (p.in === 'body') {
      msg(param, 1, (b) => {
        str(b, 1, p.description);
        str(b, 2, p.name);
        str(b, 3, p.in);
        bool(b, 4, p.required);
        if (isObject(p.schema)) msg(b, 5, (x) => schema(x, p.schema as Json));
      });
      return;
    }
    // NonBodyParameter.query_parameter_sub_schema (3) or path_parameter_sub_schema (4): same leading fields.
    msg(param, 2, (nb) =>
      msg(nb, p.in === 'path' ? 4 : 3, (q) => {
        bool(q, 1, p.required);
        str(q, 2, p.in);
        str(q, 3, p.description);
        str(q, 4, p.name);
        str(q, p.in === 'path' ? 5 : 6, p.type);
        bool(q, p.in === 'path' ? 19 : 20, p.uniqueItems);
      }),
    );
  });
}

function operation(w: W, op: Json): void {
  strs(w, 1, op.tags);
  str(w, 3, op.description);
  str(w, 5, op.operationId);
  strs(w, 6, op.produces);
  strs(w, 7, op.consumes);
  if (Array.isArray(op.parameters)) for (const p of op.parameters) if (isObject(p)) msg(w, 8, (x) => parameter(x, p));
  if (isObject(op.responses)) {
    msg(w, 9, (rs) => {
      for (const [code, r] of Object.entries(op.responses as Json)) {
        if (!isObject(r)) continue;
        msg(rs, 1, (named) => {
          str(named, 1, code);
          msg(named, 2, (rv) =>
            msg(rv, 1, (resp) => {
              str(resp, 1, r.description);
              if (isObject(r.schema)) msg(resp, 2, (si) => msg(si, 1, (x) => schema(x, r.schema as Json)));
            }),
          );
        });
      }
    });
  }
  strs(w, 10, op.schemes);
  extensions(w, 13, op);
}

const METHODS: Record<string, number> = { get: 2, put: 3, post: 4, delete: 5, options: 6, head: 7, patch: 8 };

/** Encodes a Swagger 2.0 document (as `openapiV2` builds it) as gnostic's protobuf Document. */
export function encodeOpenapiV2(doc: Json): Uint8Array {
  const w = pb.Writer.create();
  str(w, 1, doc.swagger);
  if (isObject(doc.info)) {
    const info = doc.info;
    msg(w, 2, (i) => {
      str(i, 1, info.title);
      str(i, 2, info.version);
    });
  }
  if (isObject(doc.paths)) {
    msg(w, 8, (ps) => {
      for (const [path, item] of Object.entries(doc.paths as Json)) {
        if (!isObject(item)) continue;
        msg(ps, 2, (named) => {
          str(named, 1, path);
          msg(named, 2, (pi) => {
            for (const [method, op] of Object.entries(item)) if (METHODS[method] && isObject(op)) msg(pi, METHODS[method], (o) => operation(o, op));
          });
        });
      }
    });
  }
  if (isObject(doc.definitions)) {
    msg(w, 9, (ds) => {
      for (const [name, s] of Object.entries(doc.definitions as Json)) {
        if (!isObject(s)) continue;
        msg(ds, 1, (named) => {
          str(named, 1, name);
          msg(named, 2, (x) => schema(x, s));
        });
      }
    });
  }
  if (Array.isArray(doc.security)) {
    for (const req of doc.security) {
      if (!isObject(req)) continue;
      msg(w, 12, (sr) => {
        for (const [name, scopes] of Object.entries(req)) {
          msg(sr, 1, (n) => {
            str(n, 1, name);
            msg(n, 2, (arr) => strs(arr, 1, scopes));
          });
        }
      });
    }
  }
  if (isObject(doc.securityDefinitions)) {
    msg(w, 13, (sd) => {
      for (const [name, def] of Object.entries(doc.securityDefinitions as Json)) {
        if (!isObject(def)) continue;
        msg(sd, 1, (n) => {
          str(n, 1, name);
          // SecurityDefinitionsItem.api_key_security (2)
          msg(n, 2, (item) =>
            msg(item, 2, (k) => {
              str(k, 1, def.type);
              str(k, 2, def.name);
              str(k, 3, def.in);
              str(k, 4, def.description);
            }),
          );
        });
      }
    });
  }
  return w.finish();
}
