// Syntax check of Dart files with the tree-sitter Dart grammar (npm packages web-tree-sitter
// 0.25 and tree-sitter-wasms 0.1.13, which ships a prebuilt tree-sitter-dart.wasm), for
// machines without a Dart SDK. What it proves and what it does not:
// - it finds syntax errors (ERROR and MISSING nodes of the parse tree);
// - the grammar accepts a superset of Dart and knows nothing of types or dart:ffi rules;
// - that grammar predates two Dart forms the generated code uses, so they are blanked
//   (replaced by spaces of the same length, positions unchanged) before parsing:
//   `external` in front of an instance field (Dart 2.12) and the unnamed `library;` (2.19).
//   Everything else (final class, switch expressions, records of annotations) is parsed as is.
//   node ts_parse.js <node_modules dir> <file.dart>...
// Prints one line per problem and "tree-sitter dart: N files, M syntax errors"; exit 1 if M > 0.
'use strict';
const fs = require('fs');
const path = require('path');

function blankUnsupported(text) {
  return text
    .replace(/^library;$/gm, (m) => ' '.repeat(m.length))
    .replace(/^( +)external (?=[\w$.<>]+ [\w$]+;$)/gm, (m, indent) => indent + ' '.repeat('external '.length));
}

async function main() {
  const [modules, ...files] = process.argv.slice(2);
  const { Parser, Language } = require(require.resolve('web-tree-sitter', { paths: [modules] }));
  await Parser.init();
  const dart = await Language.load(path.join(modules, 'tree-sitter-wasms', 'out', 'tree-sitter-dart.wasm'));
  const parser = new Parser();
  parser.setLanguage(dart);
  let errors = 0;
  for (const file of files) {
    const tree = parser.parse(blankUnsupported(fs.readFileSync(file, 'utf8')));
    const walk = (node) => {
      if (node.type === 'ERROR' || node.isMissing) {
        errors++;
        const p = node.startPosition;
        const what = node.isMissing ? `missing ${node.type}` : `syntax error near '${node.text.slice(0, 60)}'`;
        console.log(`${file}:${p.row + 1}:${p.column + 1}: ${what}`);
        return;
      }
      if (!node.hasError) return;
      for (let i = 0; i < node.childCount; i++) walk(node.child(i));
    };
    walk(tree.rootNode);
  }
  console.log(`tree-sitter dart: ${files.length} files, ${errors} syntax errors`);
  process.exit(errors > 0 || files.length === 0 ? 1 : 0);
}
main().catch((e) => { console.error(e); process.exit(2); });
