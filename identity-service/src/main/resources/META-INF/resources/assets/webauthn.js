// Portcullis WebAuthn ceremonies (passkeys), first-party and without dependencies. A form with
// id="passkey-form" names its options endpoint in data-options; the button fetches the options (the
// form's own fields authorise the request), runs navigator.credentials.create() or .get(), puts the
// response (base64url) into the form's hidden fields and submits the form like any other.
(function () {
  'use strict';

  function toBytes(base64url) {
    var base64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
    while (base64.length % 4) { base64 += '='; }
    var binary = atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
    return bytes.buffer;
  }

  function toBase64url(buffer) {
    if (!buffer) { return ''; }
    var bytes = new Uint8Array(buffer);
    var binary = '';
    for (var i = 0; i < bytes.length; i++) { binary += String.fromCharCode(bytes[i]); }
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function set(form, name, value) {
    var field = form.querySelector('input[name="' + name + '"]');
    if (field) { field.value = value; }
  }

  function fail(form, message) {
    var error = form.querySelector('#passkey-error');
    if (error) { error.textContent = message; error.hidden = false; }
  }

  function ceremony(form) {
    var body = new URLSearchParams();
    ['flow', 'csrf'].forEach(function (name) {
      var field = form.querySelector('input[name="' + name + '"]');
      if (field) { body.append(name, field.value); }
    });
    return fetch(form.getAttribute('data-options'), { method: 'POST', body: body, credentials: 'same-origin' })
      .then(function (response) {
        if (response.redirected) { window.location.assign(response.url); return null; }
        if (!response.ok) { throw new Error('options'); }
        return response.json();
      })
      .then(function (options) {
        if (!options) { return null; }
        var publicKey = options.publicKey;
        publicKey.challenge = toBytes(publicKey.challenge);
        if (options.mode === 'create') {
          publicKey.user.id = toBytes(publicKey.user.id);
          publicKey.excludeCredentials.forEach(function (c) { c.id = toBytes(c.id); });
          return navigator.credentials.create({ publicKey: publicKey }).then(function (credential) {
            set(form, 'client_data', toBase64url(credential.response.clientDataJSON));
            set(form, 'attestation_object', toBase64url(credential.response.attestationObject));
            form.submit();
          });
        }
        publicKey.allowCredentials.forEach(function (c) { c.id = toBytes(c.id); });
        return navigator.credentials.get({ publicKey: publicKey }).then(function (credential) {
          set(form, 'credential_id', toBase64url(credential.rawId));
          set(form, 'client_data', toBase64url(credential.response.clientDataJSON));
          set(form, 'authenticator_data', toBase64url(credential.response.authenticatorData));
          set(form, 'signature', toBase64url(credential.response.signature));
          set(form, 'user_handle', toBase64url(credential.response.userHandle));
          form.submit();
        });
      })
      .catch(function () { fail(form, 'The passkey did not work. Try again, or use another way to sign in.'); });
  }

  document.addEventListener('DOMContentLoaded', function () {
    var form = document.getElementById('passkey-form');
    var button = document.getElementById('passkey-button');
    if (!form || !button) { return; }
    if (!window.PublicKeyCredential) { button.disabled = true; fail(form, 'This browser does not support passkeys.'); return; }
    button.addEventListener('click', function () { ceremony(form); });
  });
}());
