/**
 * The article body editor (TipTap): headings, emphasis, lists, quotes, rules, links and images
 * from our media store. It writes only what the server's sanitiser keeps (no code blocks, no
 * inline styles), so what the author sees is what is stored and approved.
 */
import Image from '@tiptap/extension-image';
import { EditorContent, useEditor, useEditorState } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { useRef } from 'react';

export function BodyEditor({ initial, onChange, upload }: { initial: string; onChange: (html: string) => void; upload: (file: File) => Promise<string> }) {
  const fileInput = useRef<HTMLInputElement>(null);
  const editor = useEditor({
    extensions: [StarterKit.configure({ code: false, codeBlock: false, link: { openOnClick: false, protocols: ['http', 'https'], defaultProtocol: 'https' } }), Image],
    content: initial,
    onUpdate: ({ editor: e }) => onChange(e.isEmpty ? '' : e.getHTML()),
    editorProps: { attributes: { class: 'editor', 'aria-label': '正文', role: 'textbox', 'aria-multiline': 'true' } },
  });
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e?.isActive('bold') ?? false,
      italic: e?.isActive('italic') ?? false,
      underline: e?.isActive('underline') ?? false,
      strike: e?.isActive('strike') ?? false,
      h2: e?.isActive('heading', { level: 2 }) ?? false,
      h3: e?.isActive('heading', { level: 3 }) ?? false,
      bullet: e?.isActive('bulletList') ?? false,
      ordered: e?.isActive('orderedList') ?? false,
      quote: e?.isActive('blockquote') ?? false,
      link: e?.isActive('link') ?? false,
    }),
  });
  if (!editor) return null;
  const chain = () => editor.chain().focus();

  function setLink() {
    const before = editor!.getAttributes('link').href as string | undefined;
    const href = prompt('链接地址（http 或 https）', before ?? 'https://');
    if (href === null) return;
    if (!href.trim()) chain().extendMarkRange('link').unsetLink().run();
    else if (/^https?:\/\//i.test(href.trim())) chain().extendMarkRange('link').setLink({ href: href.trim() }).run();
    else alert('链接必须以 http:// 或 https:// 开头。');
  }

  async function insertImage(file: File | undefined) {
    if (!file) return;
    try {
      const src = await upload(file);
      chain().setImage({ src, alt: file.name.replace(/\.[^.]+$/, '') }).run();
    } catch {
      // `upload` has shown the error on the page.
    } finally {
      if (fileInput.current) fileInput.current.value = '';
    }
  }

  const b = (label: string, on: boolean, run: () => void, title = label) => (
    <button type="button" title={title} className={on ? 'on' : ''} onMouseDown={(e) => e.preventDefault()} onClick={run}>
      {label}
    </button>
  );
  return (
    <div className="bodyeditor">
      <div className="toolbar" role="toolbar" aria-label="正文格式">
        {b('B', state?.bold ?? false, () => chain().toggleBold().run(), '加粗')}
        {b('I', state?.italic ?? false, () => chain().toggleItalic().run(), '斜体')}
        {b('U', state?.underline ?? false, () => chain().toggleUnderline().run(), '下划线')}
        {b('S', state?.strike ?? false, () => chain().toggleStrike().run(), '删除线')}
        {b('标题', state?.h2 ?? false, () => chain().toggleHeading({ level: 2 }).run(), '二级标题')}
        {b('小标题', state?.h3 ?? false, () => chain().toggleHeading({ level: 3 }).run(), '三级标题')}
        {b('• 列表', state?.bullet ?? false, () => chain().toggleBulletList().run(), '无序列表')}
        {b('1. 列表', state?.ordered ?? false, () => chain().toggleOrderedList().run(), '有序列表')}
        {b('引用', state?.quote ?? false, () => chain().toggleBlockquote().run())}
        {b('分隔线', false, () => chain().setHorizontalRule().run())}
        {b('链接', state?.link ?? false, setLink)}
        {b('图片', false, () => fileInput.current?.click(), '插入图片（PNG/JPEG，5 MB 以内）')}
        <input ref={fileInput} type="file" accept="image/png,image/jpeg" hidden onChange={(e) => void insertImage(e.target.files?.[0])} aria-label="插入图片" />
      </div>
      <EditorContent editor={editor} />
    </div>
  );
}
