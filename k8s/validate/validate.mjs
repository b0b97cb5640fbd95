// Renders every kustomize overlay with `kubectl kustomize` and validates each object offline:
//  - against the Kubernetes OpenAPI schemas (kubernetes-models), the Prometheus Operator CRDs
//    (@kubernetes-models/prometheus-operator) and a JSON schema for the CloudNativePG Cluster;
//  - for references inside the rendering: ConfigMaps/Secrets used by pods, Service selectors,
//    Ingress backends, HPA/PDB targets, probes on the Quarkus health endpoints.
// Exits non-zero on the first overlay with any problem. Run: node validate.mjs [k8s dir]
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { loadAll } from "js-yaml";
import Ajv from "ajv";

const here = dirname(fileURLToPath(import.meta.url));
const k8sDir = resolve(process.argv[2] ?? join(here, ".."));
const kubectl = process.env.KUBECTL ?? "kubectl";

const groupModules = {
  "v1": "kubernetes-models/v1",
  "apps/v1": "kubernetes-models/apps/v1",
  "autoscaling/v2": "kubernetes-models/autoscaling/v2",
  "policy/v1": "kubernetes-models/policy/v1",
  "networking.k8s.io/v1": "kubernetes-models/networking.k8s.io/v1",
  "batch/v1": "kubernetes-models/batch/v1",
  "rbac.authorization.k8s.io/v1": "kubernetes-models/rbac.authorization.k8s.io/v1",
  "monitoring.coreos.com/v1": "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1",
};
const ajv = new Ajv({ allErrors: true, strict: false });
const cnpgCluster = ajv.compile(JSON.parse(readFileSync(join(here, "cnpg-cluster.schema.json"), "utf8")));

/** Validates one object; returns a list of problems (empty when valid). */
export async function schemaProblems(obj) {
  const id = `${obj?.kind}/${obj?.metadata?.name}`;
  if (!obj || typeof obj !== "object" || !obj.apiVersion || !obj.kind) {
    return [`${id}: not a Kubernetes object (apiVersion and kind are required)`];
  }
  if (obj.apiVersion === "postgresql.cnpg.io/v1" && obj.kind === "Cluster") {
    return cnpgCluster(obj) ? [] : cnpgCluster.errors.map((e) => `${id}: ${e.instancePath || "/"} ${e.message}`);
  }
  const mod = groupModules[obj.apiVersion];
  if (!mod) return [`${id}: no schema known for apiVersion ${obj.apiVersion}`];
  const models = await import(mod);
  const Model = models[obj.kind];
  if (!Model) return [`${id}: no schema known for ${obj.apiVersion} ${obj.kind}`];
  try {
    new Model(obj).validate();
    return [];
  } catch (e) {
    return [`${id}: ${e.message}`];
  }
}

function podSpecOf(o) {
  if (["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"].includes(o.kind)) return o.spec?.template?.spec;
  if (o.kind === "Job") return o.spec?.template?.spec;
  return undefined;
}

/** Checks that what the objects refer to exists in the same rendering. */
export function referenceProblems(objs) {
  const problems = [];
  const have = (kind, name) => objs.some((o) => o.kind === kind && o.metadata?.name === name);
  const workloads = objs.filter((o) => podSpecOf(o));
  for (const w of workloads) {
    const id = `${w.kind}/${w.metadata.name}`;
    const spec = podSpecOf(w);
    const tmplLabels = w.spec.template.metadata?.labels ?? {};
    for (const [k, v] of Object.entries(w.spec.selector?.matchLabels ?? {})) {
      if (tmplLabels[k] !== v) problems.push(`${id}: selector ${k}=${v} does not match its pod template`);
    }
    for (const vol of spec.volumes ?? []) {
      if (vol.configMap && !vol.configMap.optional && !have("ConfigMap", vol.configMap.name))
        problems.push(`${id}: volume ${vol.name} uses missing ConfigMap ${vol.configMap.name}`);
      if (vol.secret && !vol.secret.optional && !have("Secret", vol.secret.secretName))
        problems.push(`${id}: volume ${vol.name} uses missing Secret ${vol.secret.secretName}`);
    }
    for (const c of spec.containers ?? []) {
      for (const e of c.env ?? []) {
        const cm = e.valueFrom?.configMapKeyRef;
        const sk = e.valueFrom?.secretKeyRef;
        if (cm && !cm.optional) {
          const o = objs.find((x) => x.kind === "ConfigMap" && x.metadata.name === cm.name);
          if (!o) problems.push(`${id}: env ${e.name} uses missing ConfigMap ${cm.name}`);
          else if (!(cm.key in (o.data ?? {}))) problems.push(`${id}: env ${e.name}: ConfigMap ${cm.name} has no key ${cm.key}`);
        }
        if (sk && !sk.optional) {
          const o = objs.find((x) => x.kind === "Secret" && x.metadata.name === sk.name);
          if (!o) problems.push(`${id}: env ${e.name} uses missing Secret ${sk.name}`);
          else if (!(sk.key in { ...(o.data ?? {}), ...(o.stringData ?? {}) }))
            problems.push(`${id}: env ${e.name}: Secret ${sk.name} has no key ${sk.key}`);
        }
      }
      for (const src of c.envFrom ?? []) {
        if (src.configMapRef && !src.configMapRef.optional && !have("ConfigMap", src.configMapRef.name))
          problems.push(`${id}: envFrom uses missing ConfigMap ${src.configMapRef.name}`);
        if (src.secretRef && !src.secretRef.optional && !have("Secret", src.secretRef.name))
          problems.push(`${id}: envFrom uses missing Secret ${src.secretRef.name}`);
      }
      if (w.kind === "Deployment") {
        if (spec.automountServiceAccountToken !== false || spec.securityContext?.runAsNonRoot !== true)
          problems.push(`${id}: pod must run as non-root without a service account token`);
        const probes = { startupProbe: "/q/health/started", readinessProbe: "/q/health/ready", livenessProbe: "/q/health/live" };
        for (const [p, path] of Object.entries(probes)) {
          if (c[p]?.httpGet?.path !== path) problems.push(`${id}: container ${c.name} needs ${p} on ${path}`);
        }
        if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory || !c.resources?.limits?.memory)
          problems.push(`${id}: container ${c.name} needs cpu/memory requests and a memory limit`);
        // the hardening patch of the base (k8s/base/hardening.yaml) must have reached every service
        if (c.securityContext?.readOnlyRootFilesystem !== true || c.securityContext?.allowPrivilegeEscalation !== false
            || !(c.securityContext?.capabilities?.drop ?? []).includes("ALL"))
          problems.push(`${id}: container ${c.name} needs a read-only root filesystem, no privilege escalation and all capabilities dropped`);
      }
    }
  }
  // int-or-string fields the API server accepts as a string only when it is a percentage ("1" is rejected)
  const intOrPercent = (id, field, v) => {
    if (typeof v === "string" && !/^[0-9]+%$/.test(v)) problems.push(`${id}: ${field} "${v}" must be an integer or a percentage`);
  };
  for (const d of objs.filter((o) => o.kind === "Deployment")) {
    const ru = d.spec.strategy?.rollingUpdate;
    if (ru) {
      intOrPercent(`Deployment/${d.metadata.name}`, "maxSurge", ru.maxSurge);
      intOrPercent(`Deployment/${d.metadata.name}`, "maxUnavailable", ru.maxUnavailable);
    }
  }
  for (const p of objs.filter((o) => o.kind === "PodDisruptionBudget")) {
    intOrPercent(`PodDisruptionBudget/${p.metadata.name}`, "minAvailable", p.spec.minAvailable);
    intOrPercent(`PodDisruptionBudget/${p.metadata.name}`, "maxUnavailable", p.spec.maxUnavailable);
  }
  const podsMatching = (sel) => workloads.filter((w) => {
    const l = w.spec.template.metadata?.labels ?? {};
    return Object.entries(sel ?? {}).every(([k, v]) => l[k] === v);
  });
  for (const s of objs.filter((o) => o.kind === "Service")) {
    const targets = podsMatching(s.spec.selector);
    if (s.spec.selector && targets.length === 0) problems.push(`Service/${s.metadata.name}: selector matches no pod template`);
    for (const p of s.spec.ports ?? []) {
      if (typeof p.targetPort === "string" && !targets.some((w) => podSpecOf(w).containers.some((c) => (c.ports ?? []).some((cp) => cp.name === p.targetPort))))
        problems.push(`Service/${s.metadata.name}: targetPort ${p.targetPort} is no named container port`);
    }
  }
  for (const ing of objs.filter((o) => o.kind === "Ingress")) {
    for (const r of ing.spec.rules ?? []) for (const p of r.http?.paths ?? []) {
      const b = p.backend.service;
      const svc = objs.find((o) => o.kind === "Service" && o.metadata.name === b.name);
      if (!svc) problems.push(`Ingress/${ing.metadata.name}: path ${p.path} to missing Service ${b.name}`);
      else if (b.port?.name && !svc.spec.ports.some((sp) => sp.name === b.port.name))
        problems.push(`Ingress/${ing.metadata.name}: Service ${b.name} has no port ${b.port.name}`);
    }
  }
  for (const h of objs.filter((o) => o.kind === "HorizontalPodAutoscaler")) {
    if (!have(h.spec.scaleTargetRef.kind, h.spec.scaleTargetRef.name))
      problems.push(`HorizontalPodAutoscaler/${h.metadata.name}: target ${h.spec.scaleTargetRef.kind}/${h.spec.scaleTargetRef.name} missing`);
  }
  for (const p of objs.filter((o) => o.kind === "PodDisruptionBudget")) {
    if (podsMatching(p.spec.selector?.matchLabels).length === 0) problems.push(`PodDisruptionBudget/${p.metadata.name}: selector matches no pod template`);
  }
  for (const cm of objs.filter((o) => o.kind === "ConfigMap")) {
    for (const [k, v] of Object.entries(cm.data ?? {})) {
      if (k.endsWith(".json")) {
        try { JSON.parse(v); } catch (e) { problems.push(`ConfigMap/${cm.metadata.name}: ${k} is not valid JSON: ${e.message}`); }
      }
    }
  }
  return problems;
}

export function render(dir) {
  const out = execFileSync(kubectl, ["kustomize", dir], { encoding: "utf8", maxBuffer: 64 << 20 });
  return loadAll(out).filter((o) => o != null);
}

async function main() {
  const targets = [join(k8sDir, "base")];
  const overlays = join(k8sDir, "overlays");
  for (const d of readdirSync(overlays, { withFileTypes: true })) {
    if (d.isDirectory() && existsSync(join(overlays, d.name, "kustomization.yaml"))) targets.push(join(overlays, d.name));
  }
  // the checker itself must reject a broken object, or a pass means nothing
  const broken = await schemaProblems({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "x" },
    spec: { selector: {}, template: { spec: { containers: [{ name: "c", image: "i", ports: [{ containerPort: "http" }] }] } } } });
  const brokenCluster = await schemaProblems({ apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", metadata: { name: "x" },
    spec: { instances: 3, storage: { size: "1Gi" }, bootstrap: { initdb: { databse: "typo" } } } });
  if (broken.length === 0 || brokenCluster.length === 0) {
    console.error("self-check failed: an invalid object was accepted");
    process.exit(2);
  }
  let failed = 0;
  let checked = 0;
  for (const t of targets) {
    const name = t.slice(k8sDir.length + 1);
    let objs;
    try {
      objs = render(t);
    } catch (e) {
      console.error(`FAIL ${name}: kubectl kustomize failed: ${e.stderr || e.message}`);
      failed++;
      continue;
    }
    const problems = [];
    for (const o of objs) problems.push(...(await schemaProblems(o)));
    // references are checked on complete overlays only (the base leaves the database to them)
    if (name !== "base") problems.push(...referenceProblems(objs));
    checked += objs.length;
    if (problems.length) {
      failed++;
      console.error(`FAIL ${name}: ${objs.length} objects, ${problems.length} problems`);
      for (const p of problems) console.error(`  - ${p}`);
    } else {
      const kinds = {};
      for (const o of objs) kinds[o.kind] = (kinds[o.kind] ?? 0) + 1;
      console.log(`ok   ${name}: ${objs.length} objects valid (${Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(", ")})`);
    }
  }
  console.log(`${checked} objects in ${targets.length} renderings checked, ${failed} renderings failed`);
  process.exit(failed ? 1 : 0);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
