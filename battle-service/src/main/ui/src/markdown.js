import { marked } from 'marked';
import DOMPurify from 'dompurify';
import hljs from 'highlight.js/lib/core';
import python from 'highlight.js/lib/languages/python';
import javascript from 'highlight.js/lib/languages/javascript';
import java from 'highlight.js/lib/languages/java';
import bash from 'highlight.js/lib/languages/bash';
import json from 'highlight.js/lib/languages/json';
import sql from 'highlight.js/lib/languages/sql';
import cpp from 'highlight.js/lib/languages/cpp';
import rust from 'highlight.js/lib/languages/rust';
import go from 'highlight.js/lib/languages/go';
import typescript from 'highlight.js/lib/languages/typescript';
import 'highlight.js/styles/github.css';

for (const [n, l] of Object.entries({ python, javascript, java, bash, json, sql, cpp, rust, go, typescript })) {
  hljs.registerLanguage(n, l);
}

marked.setOptions({ gfm: true, breaks: false });

/** Markdown to sanitised HTML with highlighted code blocks. */
export function renderMarkdown(el, text) {
  el.innerHTML = DOMPurify.sanitize(marked.parse(text || ''));
  for (const block of el.querySelectorAll('pre code')) {
    const lang = [...block.classList].find((c) => c.startsWith('language-'))?.slice(9);
    if (lang && hljs.getLanguage(lang)) {
      block.innerHTML = hljs.highlight(block.textContent, { language: lang }).value;
    } else {
      block.innerHTML = hljs.highlightAuto(block.textContent).value;
    }
    block.classList.add('hljs');
  }
}
