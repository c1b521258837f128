// Parses a GIFT file with gift-pegjs and prints how many questions it read.
import { readFileSync } from "node:fs";
import { parse } from "gift-pegjs";

const text = readFileSync(process.argv[2], "utf8");
const questions = parse(text);
console.log(`${questions.length} questions`);
