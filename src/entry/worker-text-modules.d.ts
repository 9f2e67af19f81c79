// Text modules of the Worker (wrangler.toml [[rules]] type = "Text"): each
// import is the file's text. Declared here, so the Worker type-checks on a
// fresh clone, before `scripts/build-pages.ts` has written build/pages/.
declare module '*/build/pages/common.js' {
  const text: string;
  export default text;
}
declare module '*/build/pages/sign-in.js' {
  const text: string;
  export default text;
}
declare module '*/build/pages/worker.js' {
  const text: string;
  export default text;
}
declare module '*/build/pages/merchant.js' {
  const text: string;
  export default text;
}
declare module '*/build/pages/organizer.js' {
  const text: string;
  export default text;
}
declare module '*/build/pages/auditor.js' {
  const text: string;
  export default text;
}
declare module '*/build/pages/admin.js' {
  const text: string;
  export default text;
}
declare module 'swagger-ui-dist/swagger-ui.css' {
  const text: string;
  export default text;
}
declare module 'swagger-ui-dist/swagger-ui-bundle.js' {
  const text: string;
  export default text;
}
