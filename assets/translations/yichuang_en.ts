<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
<context>
    <name>CaseListModel</name>
    <message>
        <location filename="../../workstation/ui/case_list.py" line="31" />
        <source>受理编号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_list.py" line="32" />
        <source>业务类型</source>
        <translation>Business type</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_list.py" line="33" />
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_list.py" line="34" />
        <source>申请人</source>
        <translation>Applicants</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_list.py" line="35" />
        <source>不动产单元号</source>
        <translation>Unit number</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_list.py" line="36" />
        <source>坐落</source>
        <translation>Location</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_list.py" line="37" />
        <source>受理人</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/case_list.py" line="38" />
        <source>更新时间</source>
        <translation>Updated</translation>
    </message>
</context><context>
    <name>CaseWizard</name>
    <message>
        <location filename="../../workstation/ui/wizard/wizard.py" line="196" />
        <source>新建案件</source>
        <translation>New case</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/wizard.py" line="197" />
        <source>下一步(&amp;N) &gt;</source>
        <translation>&amp;Next &gt;</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/wizard.py" line="198" />
        <source>&lt; 上一步(&amp;B)</source>
        <translation>&lt; &amp;Back</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/wizard.py" line="199" />
        <source>完成(&amp;F)</source>
        <translation>&amp;Finish</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/wizard.py" line="200" />
        <source>暂存并关闭</source>
        <translation>Save draft and close</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/wizard.py" line="202" />
        <source>下一页：Alt+→ 或 PageDown；最后一个字段按回车也会翻页</source>
        <translation>Next page: Alt+Right or PageDown; Enter in the last field also moves on</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/wizard.py" line="203" />
        <source>上一页：Alt+← 或 PageUp</source>
        <translation>Previous page: Alt+Left or PageUp</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/wizard.py" line="204" />
        <source>保存版本并标记为待提交</source>
        <translation>Save a version and mark the case ready</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/wizard.py" line="205" />
        <source>草稿已自动保存 (Ctrl+S 立即保存)，关闭后可从案件列表继续</source>
        <translation>The draft is saved automatically (Ctrl+S saves now); continue later from the case list</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/wizard.py" line="325" />
        <source>翻页保存</source>
        <translation>Saved at page change</translation>
    </message>
</context><context>
    <name>ErrorDialog</name>
    <message>
        <location filename="../../workstation/ui/errors.py" line="42" />
        <source>操作未完成</source>
        <translation>Not completed</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/errors.py" line="49" />
        <source>程序错误</source>
        <translation>Program error</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/errors.py" line="50" />
        <source>程序遇到意外错误。</source>
        <translation>The program met an unexpected error. </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/errors.py" line="52" />
        <source>正在录入的内容已保存为草稿，重新打开案件即可继续。</source>
        <translation>What you were entering is saved as a draft; reopen the case to continue.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/errors.py" line="56" />
        <source>（未配置日志文件）</source>
        <translation>(no log file configured)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/errors.py" line="57" />
        <source>请把日志文件发给信息科：</source>
        <translation>Please send the log file to IT: </translation>
    </message>
</context><context>
    <name>InterviewPage</name>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="783" />
        <source>询问</source>
        <translation>Interview</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="784" />
        <source>逐人询问；被询问人取自已录入的当事人。</source>
        <translation>Question each person; the people are taken from the parties entered.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="825" />
        <source>被询问人：</source>
        <translation>Person questioned: </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="835" />
        <source>请先在“当事人”页录入当事人。</source>
        <translation>Enter the parties on the Parties page first.</translation>
    </message>
</context><context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../workstation/ui/login.py" line="143" />
        <source>正在启动…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="145" />
        <source>一窗受理 — 已锁定</source>
        <translation>Yichuang — locked</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="146" />
        <source>屏幕已锁定</source>
        <translation>Screen locked</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="147" />
        <source>长时间无操作，已自动锁定。请输入密码继续，录入内容已保留。</source>
        <translation>Locked after a period without input. Enter your password to continue; your entries are kept.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="148" />
        <source>解锁</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="150" />
        <source>一窗受理 — 登录</source>
        <translation>Yichuang — sign in</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="151" />
        <source>一窗受理 综合受理工作站</source>
        <translation>Yichuang integrated intake workstation</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="153" />
        <source>登录</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="154" />
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="155" />
        <source>用户名(&amp;U)</source>
        <translation>&amp;User name</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="156" />
        <source>密码(&amp;P)</source>
        <translation>&amp;Password</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="157" />
        <source>语言(&amp;L)</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="158" />
        <source>回车</source>
        <translation>Enter</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="200" />
        <source>请输入用户名。</source>
        <translation>Please enter your user name.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="204" />
        <source>请输入密码。</source>
        <translation>Please enter your password.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/login.py" line="256" />
        <source>登录未完成，请重试。</source>
        <translation>Sign-in did not complete; please try again.</translation>
    </message>
</context><context>
    <name>MainWindow</name>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="96" />
        <source>正在查询…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="164" />
        <source>新建案件(&amp;N)</source>
        <translation>&amp;New case</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="165" />
        <source>保存草稿(&amp;S)</source>
        <translation>&amp;Save draft</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="166" />
        <source>锁定(&amp;L)</source>
        <translation>&amp;Lock</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="167" />
        <source>退出(&amp;X)</source>
        <translation>E&amp;xit</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="168" />
        <source>查找(&amp;F)</source>
        <translation>&amp;Find</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="169" />
        <source>刷新(&amp;R)</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="170" />
        <source>打开案件(&amp;O)</source>
        <translation>&amp;Open case</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="171" />
        <source>未完成的草稿(&amp;D)</source>
        <translation>Unfinished &amp;drafts</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="172" />
        <source>关于(&amp;A)</source>
        <translation>&amp;About</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="173" />
        <source>打印(&amp;P)…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="182" />
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="183" />
        <source>案件(&amp;C)</source>
        <translation>&amp;Case</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="184" />
        <source>查看(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="185" />
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="186" />
        <source>工具栏</source>
        <translation>Toolbar</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="187" />
        <source>查找：</source>
        <translation>Find:</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="189" />
        <source>受理编号、不动产单元号、姓名（完整）、证件号码或电话，回车查找</source>
        <translation>Case number, unit number, full name, ID number or phone; Enter to search</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="193" />
        <source>一窗受理</source>
        <translation>Yichuang</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="195" />
        <source>用户：</source>
        <translation>User: </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="195" />
        <source>未登录</source>
        <translation>not signed in</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="198" />
        <source>机构：</source>
        <translation>Office: </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="198" />
        <source>窗口：</source>
        <translation>Window: </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="232" />
        <source>不能修改</source>
        <translation>Cannot edit</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="233" />
        <source>案件 %1 的状态是“%2”，已不能在受理环节修改。</source>
        <translation>Case %1 is “%2” and can no longer be edited at intake.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="281" />
        <source>草稿已保存</source>
        <translation>Draft saved</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="290" />
        <source>请先在案件列表中选择要打印的案件</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="322" />
        <source>打印文书</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="323" />
        <source>案件已保存。现在打印全套文书（申请书、询问笔录、受理回执、材料清单等）吗？</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="324" />
        <source>打印(&amp;P)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="325" />
        <source>稍后(&amp;L)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="347" />
        <source>（未编号）</source>
        <translation>(no number)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="355" />
        <location filename="../../workstation/ui/main_window.py" line="352" />
        <source>继续录入</source>
        <translation>Continue</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="353" />
        <source>发现未完成的草稿，选择一个继续录入（取消则稍后在“案件”菜单中继续）：</source>
        <translation>Unfinished drafts were found. Choose one to continue (or later from the Case menu):</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="356" />
        <source>稍后</source>
        <translation>Later</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="404" />
        <source>关于</source>
        <translation>About</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/main_window.py" line="404" />
        <source>一窗受理 综合受理工作站</source>
        <translation>Yichuang integrated intake workstation</translation>
    </message>
</context><context>
    <name>MaterialsPage</name>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="709" />
        <source>申请材料</source>
        <translation>Materials</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="710" />
        <source>空格键勾选；共享获取的材料无需申请人提交。</source>
        <translation>Space ticks a box; materials obtained by data sharing are not asked of the applicant.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="746" />
        <source>材料</source>
        <translation>Material</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="746" />
        <source>必交</source>
        <translation>Required</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="746" />
        <source>已收取</source>
        <translation>Received</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="746" />
        <source>原件</source>
        <translation>Original</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="746" />
        <source>份数</source>
        <translation>Copies</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="746" />
        <source>页数</source>
        <translation>Pages</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="755" />
        <source>（共享获取）</source>
        <translation> (data sharing)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="757" />
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="757" />
        <source>否</source>
        <translation>No</translation>
    </message>
</context><context>
    <name>MortgagePage</name>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="678" />
        <source>抵押</source>
        <translation>Mortgage</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="679" />
        <source>金额以元为单位，日期格式 2024-05-01。</source>
        <translation>Amounts in yuan, dates as 2024-05-01.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="691" />
        <source>抵押方式</source>
        <translation>Mortgage kind</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="692" />
        <source>被担保主债权数额(元)</source>
        <translation>Secured amount (yuan)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="693" />
        <source>债务履行期限起</source>
        <translation>Debt term from</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="694" />
        <source>债务履行期限止</source>
        <translation>Debt term to</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="695" />
        <source>借款合同编号</source>
        <translation>Loan contract number</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="696" />
        <source>抵押合同编号</source>
        <translation>Mortgage contract number</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="697" />
        <source>注销原因</source>
        <translation>Release reason</translation>
    </message>
</context><context>
    <name>PartiesPage</name>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="420" />
        <source>当事人</source>
        <translation>Parties</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="422" />
        <source>按角色添加当事人（Ctrl+1… 添加，Ctrl+Delete 删除）。每人只录入一次，代理人、监护人从已录入的当事人中选择。</source>
        <translation>Add parties by role (Ctrl+1… to add, Ctrl+Delete to remove). Each person is entered once; agents and guardians pick the parties they act for.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="433" />
        <source>还没有当事人：请按上方按钮添加。</source>
        <translation>No parties yet: add one with the buttons above.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="439" />
        <source>删除当事人</source>
        <translation>Remove party</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="441" />
        <source>删除选中的当事人 (Ctrl+Delete)</source>
        <translation>Remove the selected party (Ctrl+Delete)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="479" />
        <source>添加</source>
        <translation>Add </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="487" />
        <source>快捷键</source>
        <translation>Shortcut</translation>
    </message>
</context><context>
    <name>PartyEditor</name>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="251" />
        <source>主体类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="253" />
        <source>证件种类</source>
        <translation>ID type</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="255" />
        <source>18 位身份证号，末位可为 X</source>
        <translation>18 characters; the last may be X</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="256" />
        <source>证件号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="258" />
        <source>姓名/名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="261" />
        <source>按证件填写；居民身份证号码可识别时自动填入</source>
        <translation>As on the ID document; filled in from a resident ID number that can be read</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="264" />
        <source>性别</source>
        <translation>Sex</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="266" />
        <source>如 1990-05-12；居民身份证号码可识别时自动填入</source>
        <translation>e.g. 1990-05-12; filled in from a resident ID number that can be read</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="268" />
        <source>出生日期</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="273" />
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="275" />
        <source>通讯地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="278" />
        <source>法定代表人/负责人</source>
        <translation>Legal representative</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="282" />
        <source>代理机构名称</source>
        <translation>Agency</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="286" />
        <source>空格键勾选被代理/被监护的当事人（从已录入的当事人中选择）</source>
        <translation>Space ticks the parties represented (chosen from the parties entered)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="288" />
        <source>代理/监护的当事人</source>
        <translation>Acts for</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="293" />
        <source>共有方式</source>
        <translation>Co-ownership</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="295" />
        <source>按份共有时填写，如 50</source>
        <translation>For shares, e.g. 50</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="296" />
        <source>共有份额(%)</source>
        <translation>Share (%)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="298" />
        <source>婚姻状况</source>
        <translation>Marital status</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="300" />
        <source>从已录入的当事人中选择配偶（已婚时填写）</source>
        <translation>Pick the spouse from the parties entered (when married)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="304" />
        <source>配偶</source>
        <translation>Spouse</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="307" />
        <source>家庭（本人、配偶、未成年子女）已有住房套数</source>
        <translation>Homes the family (self, spouse, minor children) already owns</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="308" />
        <source>家庭住房套数</source>
        <translation>Family homes</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="311" />
        <source>与对方当事人关系</source>
        <translation>Relation to the other side</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="313" />
        <source>本人到场</source>
        <translation>Present in person</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="371" />
        <source>（已删除的当事人）</source>
        <translation>(deleted party)</translation>
    </message>
</context><context>
    <name>PrintDialog</name>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="245" />
        <location filename="../../workstation/ui/print_dialog.py" line="108" />
        <source>打印文书</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="110" />
        <source>正在准备文书…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="117" />
        <source>正在查找打印机…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="128" />
        <source> 份</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="134" />
        <source>时间</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="194" />
        <location filename="../../workstation/ui/print_dialog.py" line="135" />
        <source>文书</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="136" />
        <source>打印机</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="137" />
        <source>份数</source>
        <translation type="unfinished">Copies</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="138" />
        <source>状态</source>
        <translation type="unfinished">State</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="139" />
        <source>操作人</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="153" />
        <source>重印所选(&amp;R)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="176" />
        <source>打印(&amp;P)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="181" />
        <source>另存为 PDF(&amp;S)…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="189" />
        <source>关闭</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="198" />
        <source>打印机(&amp;I)：</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="200" />
        <source>份数(&amp;N)：</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="202" />
        <source>打印记录</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="247" />
        <source>受理编号：</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="249" />
        <source>业务类型：</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="251" />
        <source>状态：</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="266" />
        <source>暂不能出具：</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="273" />
        <source>无法准备文书。</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="286" />
        <source>没有可用的打印机</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="287" />
        <source>本机没有可用的打印机。请管理员添加打印机后重试，或先“另存为 PDF”。</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="292" />
        <source>无法列出打印机</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="315" />
        <source>（文件）</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="365" />
        <source>请至少选择一种文书。</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="368" />
        <source>正在生成预览…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="383" />
        <source>共 %1 页：</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="418" />
        <source>正在发送到打印机…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="441" />
        <source>正在重印…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="461" />
        <source>已把%1（%2 份）发送到打印机“%3”。</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="485" />
        <source>另存为 PDF</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="493" />
        <source>正在保存…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="497" />
        <source>已保存到 </source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../workstation/ui/print_dialog.py" line="506" />
        <source>无法保存到 %1（%2）。请换一个文件夹或文件名后重试。</source>
        <translation type="unfinished" />
    </message>
</context><context>
    <name>PropertyPage</name>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="596" />
        <source>不动产</source>
        <translation>Property</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="597" />
        <source>按不动产权证书填写。</source>
        <translation>As on the title certificate.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="604" />
        <source>28 位，如 110105001001GB00001F00010001</source>
        <translation>28 characters, e.g. 110105001001GB00001F00010001</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="605" />
        <source>不动产单元号</source>
        <translation>Unit number</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="606" />
        <source>不动产权证书号</source>
        <translation>Certificate number</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="607" />
        <source>坐落</source>
        <translation>Location</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="609" />
        <source>平方米，如 89.5</source>
        <translation>Square metres, e.g. 89.5</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="610" />
        <source>面积(㎡)</source>
        <translation>Area (m²)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="611" />
        <source>用途</source>
        <translation>Use</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="613" />
        <source>不动产类型</source>
        <translation>Property type</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="617" />
        <source>房屋性质</source>
        <translation>Housing class</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="621" />
        <source>市区</source>
        <translation>Urban</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="621" />
        <source>县城、镇</source>
        <translation>County town</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="621" />
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="623" />
        <source>所在地类别</source>
        <translation>District class</translation>
    </message>
</context><context>
    <name>ReviewPage</name>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="861" />
        <source>核对</source>
        <translation>Review</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="863" />
        <source>填写登记事项，核对每一项及其去向；双击或回车问题可跳转到对应字段。完成后案件进入“待提交”。</source>
        <translation>Fill in the registration items and check each fact and where it goes; double-click or press Enter on an issue to jump to its field. Finishing marks the case ready for submission.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="891" />
        <source>如 买卖、继承、抵押贷款；按合同或法律文书填写</source>
        <translation>e.g. sale, inheritance, mortgage loan; as in the contract or legal document</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="892" />
        <source>登记原因</source>
        <translation>Reason for registration</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="894" />
        <source>申请证书版式</source>
        <translation>Certificate format</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="897" />
        <source>申请分别持证</source>
        <translation>Separate certificate for each co-owner</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="900" />
        <source>第二本起每本另收工本费</source>
        <translation>Each certificate from the second on is charged separately</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="902" />
        <source>加发证书本数</source>
        <translation>Extra certificates</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="904" />
        <source>需要说明的其他事项（如生僻字、证件特殊情况）</source>
        <translation>Anything else to note (rare characters, unusual documents)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="905" />
        <source>备注</source>
        <translation>Remarks</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="915" />
        <source>登记事项</source>
        <translation>Registration items</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="915" />
        <source>打印到</source>
        <translation>printed on</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="915" />
        <source>报送</source>
        <translation>sent to</translation>
    </message>
    <message numerus="yes">
        <location filename="../../workstation/ui/wizard/pages.py" line="938" />
        <source>还有 %n 处错误需要更正：</source>
        <translation>
            <numerusform>%n error(s) still to correct:</numerusform>
            <numerusform>%n error(s) still to correct:</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="938" />
        <source>没有错误，可以完成。</source>
        <translation>No errors: the case can be finished.</translation>
    </message>
</context><context>
    <name>TaxPage</name>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="259" />
        <source>税费</source>
        <translation>Taxes and fees</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="261" />
        <source>按计税日期有效的规则估算各方应缴税费；选中一行查看计算说明，点击尚缺事实跳到该字段。</source>
        <translation>Estimates what each side pays under the rules in force on the tax date; select a line to see how it was computed, click a missing fact to go to its field.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="273" />
        <source>如 2026-03-01</source>
        <translation>e.g. 2026-03-01</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="275" />
        <source>申报（计税）日期，默认今天；按该日有效的税费规则计算</source>
        <translation>Declaration (tax) date, today by default; the rules in force on that day apply</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="277" />
        <source>默认今天，可改为申报日期；按该日有效的规则计算。</source>
        <translation>Today by default; change it to the declaration date. The rules in force on that day apply.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="279" />
        <source>预估</source>
        <translation>Estimate</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="282" />
        <source>本页金额为估算，以税务机关核定为准</source>
        <translation>The amounts on this page are estimates; the tax bureau's assessment binds</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="284" />
        <source>计税日期</source>
        <translation>Tax date</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="300" />
        <source>税费</source>
        <comment>column</comment>
        <translation>Tax / fee</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="301" />
        <source>缴纳方</source>
        <translation>Payer</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="302" />
        <source>计税依据(元)</source>
        <translation>Base (yuan)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="303" />
        <source>税率</source>
        <translation>Rate</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="304" />
        <source>金额(元)</source>
        <translation>Amount (yuan)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="305" />
        <source>依据</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="323" />
        <source>税费明细：Tab 或 %1 进入，↑↓ 选择一行查看计算说明，回车下一页</source>
        <translation>Line items: Tab or %1 to enter, ↑↓ to select a line and see its explanation, Enter for the next page</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="343" />
        <source>单击或回车跳转到该字段；补齐后估算方为确定</source>
        <translation>Click or press Enter to go to the field; the estimate is final once these are filled in</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="347" />
        <source>备选计算（不计入合计）：</source>
        <translation>Alternatives (not in the totals):</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="363" />
        <source>以上为预估，仅供参考；应缴税费以税务机关核定为准。</source>
        <translation>Estimate for information only; the tax bureau's assessment decides what is due.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="377" />
        <source>计算说明</source>
        <translation>Explanation</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="472" />
        <source>请先在第一页选择业务类型。</source>
        <translation>Choose the business type on the first page first.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="480" />
        <source>正在载入税费规则…</source>
        <translation>Loading the tax rules…</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="487" />
        <source>尚不能识别，暂不估算（单击跳转改正）：</source>
        <translation>Not readable yet, no estimate (click to go and correct):</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="499" />
        <source>暂不能估算（单击跳转改正）：</source>
        <translation>Cannot estimate (click to go and correct):</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="509" />
        <source>合计：—（补齐或改正下列内容后显示）</source>
        <translation>Totals: — (shown once the items below are filled in or corrected)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="516" />
        <source>金额暂不显示：请先改正左侧所列内容，改正后自动重新估算。</source>
        <translation>No amounts yet: correct the items listed on the left; the estimate then updates by itself.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="555" />
        <source>尚缺事实（单击跳转到该字段）：</source>
        <translation>Missing facts (click to go to the field):</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="560" />
        <source>估算所需事实已齐全。</source>
        <translation>All facts the estimate needs are present.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="615" />
        <source>%1 合计 %2 元</source>
        <translation>%1 total %2 yuan</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="616" />
        <source>总计 %1 元</source>
        <translation>Grand total %1 yuan</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="636" />
        <source>规则：</source>
        <translation>Rule: </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="637" />
        <source>依据：</source>
        <translation>Source: </translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="641" />
        <source>金额 %1 元</source>
        <translation>amount %1 yuan</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="650" />
        <source>取决于：%1（改动这些事实，估算随之更新）</source>
        <translation>Depends on: %1 (changing these facts updates the estimate)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/tax_page.py" line="656" />
        <source>（备选，不计入合计）</source>
        <translation> (alternative, not in the totals)</translation>
    </message>
</context><context>
    <name>TransactionPage</name>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="635" />
        <source>交易</source>
        <translation>Transaction</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="636" />
        <source>金额以元为单位，日期格式 2024-05-01。</source>
        <translation>Amounts in yuan, dates as 2024-05-01.</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="642" />
        <source>合同网签备案编号</source>
        <translation>Contract filing number</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="643" />
        <source>成交价格(元)</source>
        <translation>Price (yuan)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="645" />
        <source>付款方式</source>
        <translation>Payment</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="649" />
        <source>原有抵押</source>
        <translation>Existing mortgage</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="654" />
        <source>评估价格(元)</source>
        <translation>Assessed value (yuan)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="656" />
        <source>卖方取得情况</source>
        <translation>How the seller acquired it</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="657" />
        <source>取得日期</source>
        <translation>Acquired on</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="658" />
        <source>原值(元)</source>
        <translation>Original value (yuan)</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="662" />
        <source>原值凭证齐全</source>
        <translation>Original value documented</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="667" />
        <source>购入时已缴契税(元)</source>
        <translation>Deed tax paid on purchase (yuan)</translation>
    </message>
</context><context>
    <name>TypePage</name>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="174" />
        <source>业务类型</source>
        <translation>Business type</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="175" />
        <source>选择本次申请的登记业务（方向键选择，回车下一步）。</source>
        <translation>Choose the registration business (arrow keys to choose, Enter to continue).</translation>
    </message>
    <message>
        <location filename="../../workstation/ui/wizard/pages.py" line="202" />
        <source>案件已创建，业务类型不能再更改；如选错，请作废本案件后重新受理。</source>
        <translation>The case exists; its business type can no longer change. If it is wrong, cancel this case and start again.</translation>
    </message>
</context></TS>
