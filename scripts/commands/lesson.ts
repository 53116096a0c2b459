// `npm run lesson` runs scripts/lesson.mjs directly (plain JavaScript, so the loop pays for no
// TypeScript loader); the course CLI reaches the same code through here.
export { lesson } from "../lesson.mjs";
