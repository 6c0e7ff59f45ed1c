// Validates Kubernetes objects with the npm package kubernetes-models (its JSON schemas, through ajv).
// Input (stdin): a JSON array of objects. Output (stdout): a JSON array of {index, message}.
'use strict';
const objects = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const findings = [];
objects.forEach((object, index) => {
  const apiVersion = String(object.apiVersion);
  const module = 'kubernetes-models/' + apiVersion;
  let Model;
  try {
    Model = require(module)[object.kind];
  } catch (e) {
    Model = undefined;
  }
  if (typeof Model !== 'function') {
    findings.push({ index, message: 'kubernetes-models has no model for ' + apiVersion + ' ' + object.kind });
    return;
  }
  try {
    new Model(object).validate();
  } catch (e) {
    findings.push({ index, message: String(e && e.message ? e.message : e) });
  }
});
process.stdout.write(JSON.stringify(findings));
