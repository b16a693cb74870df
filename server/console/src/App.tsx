/**
 * The console's shell: sign-in, the navigation for the signed-in role, and the page the URL's
 * hash names (#/content, #/content/new, #/content/:id, #/content/:id/edit, #/verifications,
 * #/lives, #/lives/new, #/lives/:id/report, #/cases, #/cases/:id, #/doctors, #/doctors/:id, #/feed-preview, #/audit, #/staff, #/segments, #/segments/new?kind=, #/segments/:kind/:id,
 * #/campaigns, #/campaigns/new, #/campaigns/:id, #/engine),
 * among those the signed-in role may use.
 * Hash routes keep the BFF's job to serving one index.html.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { currentSession, onSessionChange, signOut, type Session } from './api.js';
import { ROLE_TEXT } from './labels.js';
import { ContentDetail } from './pages/ContentDetail.js';
import { ContentEditor } from './pages/ContentEditor.js';
import { ContentList } from './pages/ContentList.js';
import { Audit } from './pages/Audit.js';
import { CampaignEditor, CampaignList } from './pages/Campaigns.js';
import { CaseDetail, CaseQueue } from './pages/Cases.js';
import { DoctorDetail, DoctorList } from './pages/Doctors.js';
import { EngineSettingsPage } from './pages/EngineSettings.js';
import { FeedPreview } from './pages/FeedPreview.js';
import { LiveForm, LiveReportView } from './pages/LivePlanning.js';
import { Lives } from './pages/Lives.js';
import { Login } from './pages/Login.js';
import { SegmentEditor, SegmentList } from './pages/Segments.js';
import { Staff } from './pages/Staff.js';
import { Verifications } from './pages/Verifications.js';

/** Roles the console's pages are for (reps use the mini-program; managers approve live streams here). */
export const CONSOLE_ROLES = ['admin', 'marketing', 'compliance', 'medical', 'manager'] as const;

function useHash(): string {
  const [hash, setHash] = useState(() => location.hash.slice(1) || '/content');
  useEffect(() => {
    const on = () => setHash(location.hash.slice(1) || '/content');
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash;
}

export function go(path: string) {
  location.hash = path;
}

/** A side-menu link, marked while its section is the one shown. */
function NavLink({ on, href, children }: { on: boolean; href: string; children: ReactNode }) {
  return (
    <a className={on ? 'on' : ''} href={href}>
      {children}
    </a>
  );
}

export function App() {
  const [session, setSession] = useState<Session | null>(currentSession);
  useEffect(() => onSessionChange(setSession), []);
  const hash = useHash();
  if (!session) return <Login />;
  if (!(CONSOLE_ROLES as readonly string[]).includes(session.user.role)) {
    return (
      <div className="centered">
        <div className="card narrow">
          <h2>无法使用控制台</h2>
          <p>{ROLE_TEXT[session.user.role]}账号请在微信小程序中工作。</p>
          <button onClick={signOut}>退出登录</button>
        </div>
      </div>
    );
  }
  const [path, search = ''] = hash.split('?');
  const parts = path!.split('/').filter(Boolean);
  const role = session.user.role;
  const reviewer = role === 'compliance' || role === 'medical';
  const manager = role === 'manager';
  let page: JSX.Element;
  let section = 'content';
  if (manager && parts[0] !== 'doctors') {
    // A department manager's work here is the first approval of live-stream applications.
    section = 'lives';
    page = <Lives key={search} role={role} params={new URLSearchParams(search)} />;
  } else if (parts[0] === 'feed-preview') {
    section = 'feed';
    page = <FeedPreview key={search} params={new URLSearchParams(search)} />;
  } else if (parts[0] === 'audit' && (role === 'admin' || role === 'compliance')) {
    section = 'audit';
    page = <Audit key={search} params={new URLSearchParams(search)} />;
  } else if (parts[0] === 'engine' && (role === 'admin' || role === 'marketing')) {
    section = 'engine';
    page = <EngineSettingsPage role={role} />;
  } else if (parts[0] === 'staff' && role === 'admin') {
    section = 'staff';
    page = <Staff />;
  } else if (parts[0] === 'campaigns') {
    section = 'campaigns';
    if (parts[1] === 'new' && role === 'marketing') page = <CampaignEditor key="new" role={role} />;
    else if (parts[1] && /^\d+$/.test(parts[1])) page = <CampaignEditor key={parts[1]} role={role} id={parts[1]} />;
    else page = <CampaignList role={role} />;
  } else if (parts[0] === 'segments') {
    section = 'segments';
    const kind = parts[1] === 'tag' || new URLSearchParams(search).get('kind') === 'tag' ? 'tag' : 'segment';
    if (parts[1] === 'new' && (role === 'marketing' || role === 'admin')) page = <SegmentEditor key={`new-${kind}`} role={role} kind={kind} />;
    else if ((parts[1] === 'segment' || parts[1] === 'tag') && parts[2] && /^\d+$/.test(parts[2])) page = <SegmentEditor key={`${kind}-${parts[2]}`} role={role} kind={kind} id={parts[2]} />;
    else page = <SegmentList role={role} />;
  } else if (parts[0] === 'doctors') {
    section = 'doctors';
    page = parts[1] && /^\d+$/.test(parts[1]) ? <DoctorDetail key={parts[1]} id={parts[1]} /> : <DoctorList key={search} params={new URLSearchParams(search)} />;
  } else if (parts[0] === 'verifications' && role === 'compliance') {
    section = 'verifications';
    page = <Verifications />;
  } else if (parts[0] === 'lives' && (role === 'compliance' || role === 'marketing')) {
    section = 'lives';
    if (parts[1] === 'new' && role === 'marketing') page = <LiveForm />;
    else if (parts[1] && /^\d+$/.test(parts[1]) && parts[2] === 'report') page = <LiveReportView key={parts[1]} id={parts[1]} />;
    else page = <Lives key={search} role={role} params={new URLSearchParams(search)} />;
  } else if (parts[0] === 'cases' && reviewer) {
    section = 'cases';
    page = parts[1] && /^\d+$/.test(parts[1]) ? <CaseDetail key={parts[1]} id={parts[1]} /> : <CaseQueue key={search} params={new URLSearchParams(search)} />;
  } else if (parts[0] === 'content' && parts[1] === 'new') {
    page = <ContentEditor key="new" session={session} />;
  } else if (parts[0] === 'content' && parts[1] && /^\d+$/.test(parts[1])) {
    page = parts[2] === 'edit' ? <ContentEditor key={`edit-${parts[1]}`} session={session} id={parts[1]} /> : <ContentDetail key={parts[1]} session={session} id={parts[1]} />;
  } else {
    const params = new URLSearchParams(search);
    section = params.get('status') === 'in_review' ? 'review' : 'content';
    page = <ContentList key={search} session={session} params={params} />;
  }
  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">HCP360 控制台</span>
        <span className="who">
          {session.username}（{ROLE_TEXT[session.user.role]}）
          <button className="link" onClick={signOut}>
            退出
          </button>
        </span>
      </header>
      <nav className="sidenav">
        {manager ? (
          <>
            <NavLink on={section === 'lives'} href="#/lives">
              直播审批
            </NavLink>
            <NavLink on={section === 'doctors'} href="#/doctors">
              医生画像
            </NavLink>
          </>
        ) : (
          <>
            <NavLink on={section === 'content'} href="#/content">
              内容管理
            </NavLink>
            {reviewer && (
              <NavLink on={section === 'review'} href="#/content?status=in_review">
                内容审核
              </NavLink>
            )}
            {role === 'marketing' && <a href="#/content/new">新建内容</a>}
            {role === 'compliance' && (
              <NavLink on={section === 'verifications'} href="#/verifications">
                医生认证
              </NavLink>
            )}
            {(role === 'compliance' || role === 'marketing') && (
              <NavLink on={section === 'lives'} href="#/lives">
                {role === 'marketing' ? '直播管理' : '直播审批'}
              </NavLink>
            )}
            {reviewer && (
              <NavLink on={section === 'cases'} href="#/cases">
                病例审核
              </NavLink>
            )}
            <NavLink on={section === 'campaigns'} href="#/campaigns">
              病例征集
            </NavLink>
            <NavLink on={section === 'doctors'} href="#/doctors">
              医生画像
            </NavLink>
            <NavLink on={section === 'segments'} href="#/segments">
              分群与标签
            </NavLink>
            <NavLink on={section === 'feed'} href="#/feed-preview">
              推荐预览
            </NavLink>
            {(role === 'admin' || role === 'marketing') && (
              <NavLink on={section === 'engine'} href="#/engine">
                引擎设置
              </NavLink>
            )}
            {(role === 'admin' || role === 'compliance') && (
              <NavLink on={section === 'audit'} href="#/audit">
                审计日志
              </NavLink>
            )}
            {role === 'admin' && (
              <NavLink on={section === 'staff'} href="#/staff">
                员工账号
              </NavLink>
            )}
          </>
        )}
      </nav>
      <main className="main">{page}</main>
    </div>
  );
}
